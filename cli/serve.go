package cli

import (
	"log/slog"
	"net"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/web"
)

// DefaultAddr is where rcm serve listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8080"

// serveCommand runs the HTTP API on the database directly.
func serveCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "serve",
		Usage:     "run the HTTP API (on the database directly)",
		UsageText: "rcm serve [--addr HOST:PORT] [--database-url URL] [--base-url URL]",
		Description: `Applies pending migrations (unless --migrate=false), then serves the API
until interrupted, finishing requests in flight before it stops.
--base-url is the address people reach the server at; when it is https://,
session cookies are marked Secure.

Examples:
   rcm serve --database-url postgres://rcm@127.0.0.1:5432/rcm
   RCM_ADDR=0.0.0.0:8080 RCM_BASE_URL=https://rcm.example.gov.vn rcm serve`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "addr", Usage: "address to listen on", Value: DefaultAddr, EnvVars: []string{"RCM_ADDR"}},
			databaseURLFlag(),
			&ucli.StringFlag{Name: "base-url", Usage: "public address of the server (default http://ADDR)", EnvVars: []string{"RCM_BASE_URL"}},
			&ucli.BoolFlag{Name: "migrate", Usage: "apply pending migrations first", Value: true, EnvVars: []string{"RCM_MIGRATE"}},
			&ucli.DurationFlag{Name: "session-ttl", Usage: "how long a password sign-in lasts", Value: 12 * time.Hour, EnvVars: []string{"RCM_SESSION_TTL"}},
			&ucli.BoolFlag{Name: "debug", Usage: "log every request", EnvVars: []string{"RCM_DEBUG"}},
		},
		Action: serve,
	}
}

func serve(c *ucli.Context) error {
	addr := c.String("addr")
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usageError("--addr %q is not HOST:PORT, such as %s", addr, DefaultAddr)
	}
	level := slog.LevelInfo
	if c.Bool("debug") {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: level}))
	st, err := connectDatabase(c, c.Bool("migrate"))
	if err != nil {
		return err
	}
	defer st.Close()
	baseURL := c.String("base-url")
	if baseURL == "" {
		baseURL = "http://" + addr
	}
	srv := web.NewServer(web.Config{Addr: addr, BaseURL: baseURL, SessionTTL: c.Duration("session-ttl")},
		web.Deps{Store: st, Logger: logger})
	return srv.Run(c.Context)
}
