package reporting

// Regime is a reporting regime (chế độ báo cáo): who reports what, how often,
// by when, and how they are reminded.
type Regime struct {
	Code, NameVI, NameEN string
	TemplateCode         string
	Cadence              Cadence
	// Windows says how periods are cut: Decree 09's windows or calendar months.
	Windows      Windows
	DeadlineRule DeadlineRule
	// Estimates says the regime reports estimates (số liệu ước tính) for the
	// end of the window: its due date may come before the cut-off, and its
	// reports say so.
	Estimates bool
	// TimeZone is the IANA zone calendar rules run in ("" = DefaultZone).
	TimeZone string
	// SendTime is the time of day reminders and escalations counted in days
	// go out, on working days (DefaultSendTime when not set).
	SendTime ClockTime
	// Holidays are the regime's own days off, on top of the shared holiday
	// calendar (regimes created before it listed their holidays here).
	Holidays []Date
	Policy   Policy
	// Timeliness judges on time: by the first version or by the version
	// finally accepted ("" = DefaultTimeliness for a new regime).
	Timeliness Timeliness
	// SoftCheckFactor flags a figure that moves more than this many times
	// from the agency's previous accepted period (see Jumps); 0 means
	// DefaultSoftCheckFactor.
	SoftCheckFactor int
	// LateFilingDays is how many days after an obligation's close its
	// agency may still file late, if its report was missing or not
	// accepted (0: no late filing; nil: DefaultLateFilingDays).
	LateFilingDays *int
	// ReviewerID is the office-staff user who reviews submissions, if one is named.
	ReviewerID *int64
	// Tiers are the regime's levels, lowest first (see Tier); none for a
	// single-tier regime, whose agencies all report to the office.
	Tiers       []Tier
	Assignments []Assignment
}

// Assignment says an agency reports under a regime, from ActiveFrom until
// ActiveUntil (both included; nil is open-ended).
type Assignment struct {
	AgencyCode  string
	ActiveFrom  *Date
	ActiveUntil *Date
}
