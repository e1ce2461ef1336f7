package api

// Health is the answer of GET /healthz while the process runs.
type Health struct {
	Status string `json:"status"`
}

// Ready is the answer of GET /readyz: Status is "ready" or "unavailable",
// and Checks says the same ("ok", "unavailable") of each service rcm needs
// ("database", "temporal").
type Ready struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}
