package cli

import (
	ucli "github.com/urfave/cli/v2"

	"rcm/temporalclient"
)

// temporalSecurityFlags are the TLS and API key flags of the commands that
// connect to Temporal (serve, worker, dev).
func temporalSecurityFlags() []ucli.Flag {
	str := func(name, env, usage string) ucli.Flag {
		return &ucli.StringFlag{Name: name, Usage: usage, EnvVars: []string{env}}
	}
	return []ucli.Flag{
		&ucli.BoolFlag{Name: temporalclient.FlagTLS, EnvVars: []string{"RCM_TEMPORAL_TLS"},
			Usage: "connect to Temporal over TLS, trusting the system's certificate authorities (implied by the other --temporal-tls-* flags)"},
		str(temporalclient.FlagCAFile, "RCM_TEMPORAL_TLS_CA", "PEM file of the certificate authorities that sign Temporal's certificate"),
		str(temporalclient.FlagCertFile, "RCM_TEMPORAL_TLS_CERT", "PEM file of rcm's client certificate, for mutual TLS"),
		str(temporalclient.FlagKeyFile, "RCM_TEMPORAL_TLS_KEY", "PEM file of the key of --temporal-tls-cert"),
		str(temporalclient.FlagServerName, "RCM_TEMPORAL_TLS_SERVER_NAME", "name in Temporal's certificate, when not the host of --temporal-address"),
		str(temporalclient.FlagAPIKey, "RCM_TEMPORAL_API_KEY", "API key sent to Temporal as a bearer token (implies TLS)"),
	}
}

// temporalConfig reads the connection flags of c, refusing certificate files
// that cannot be read.
func temporalConfig(c *ucli.Context) (temporalclient.Config, error) {
	cfg := temporalclient.Config{
		Address:    c.String("temporal-address"),
		Namespace:  c.String("temporal-namespace"),
		TLS:        c.Bool(temporalclient.FlagTLS),
		CAFile:     c.String(temporalclient.FlagCAFile),
		CertFile:   c.String(temporalclient.FlagCertFile),
		KeyFile:    c.String(temporalclient.FlagKeyFile),
		ServerName: c.String(temporalclient.FlagServerName),
		APIKey:     c.String(temporalclient.FlagAPIKey),
	}
	if err := cfg.Check(); err != nil {
		return cfg, usageError("%v", err)
	}
	return cfg, nil
}
