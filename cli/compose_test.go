package cli

import (
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"

	"rcm/devstack"
	"rcm/notifications"
	"rcm/temporalconfig"
)

// There is no container engine here, so docker-compose.yml is checked
// against the real command line instead: the commands its rcm services run
// exist, every RCM_* variable it sets is one that command reads, and none
// that the command needs in a container is missing.

// composeFile is the part of docker-compose.yml the test reads.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
	Configs  map[string]composeConfig  `yaml:"configs"`
}

// composeConfig is a file Compose mounts into containers.
type composeConfig struct {
	File    string `yaml:"file"`
	Content string `yaml:"content"`
}

type composeService struct {
	Image       string                       `yaml:"image"`
	Build       any                          `yaml:"build"`
	Entrypoint  []string                     `yaml:"entrypoint"`
	Command     any                          `yaml:"command"`
	WorkingDir  string                       `yaml:"working_dir"`
	Ports       []string                     `yaml:"ports"`
	Environment any                          `yaml:"environment"`
	DependsOn   map[string]composeDependency `yaml:"depends_on"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	Volumes  []string `yaml:"volumes"`
	Profiles []string `yaml:"profiles"`
	Configs  []struct {
		Source string `yaml:"source"`
		Target string `yaml:"target"`
	} `yaml:"configs"`
}

type composeDependency struct {
	Condition string `yaml:"condition"`
}

// rcm reports whether the service runs the image built from the Dockerfile.
func (s composeService) rcm() bool { return s.Build != nil }

func readCompose(t *testing.T) composeFile {
	t.Helper()
	b, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var f composeFile
	require.NoError(t, yaml.Unmarshal(b, &f), "docker-compose.yml is not valid YAML")
	require.NotEmpty(t, f.Services)
	return f
}

// env returns the service's environment with ${VAR:-default} interpolated
// as Compose does when VAR is unset.
func (s composeService) env(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	switch e := s.Environment.(type) {
	case nil:
	case map[string]any:
		for k, v := range e {
			out[k] = interpolate(fmt.Sprint(v))
		}
	case []any:
		for _, item := range e {
			k, v, _ := strings.Cut(fmt.Sprint(item), "=")
			out[k] = interpolate(v)
		}
	default:
		t.Fatalf("environment: neither a map nor a list: %T", e)
	}
	return out
}

var composeVariable = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}`)

func interpolate(s string) string {
	return composeVariable.ReplaceAllStringFunc(s, func(m string) string {
		return composeVariable.FindStringSubmatch(m)[2]
	})
}

// args returns the service's command as arguments after `rcm`.
func (s composeService) args(t *testing.T) []string {
	t.Helper()
	switch c := s.Command.(type) {
	case string:
		return strings.Fields(c)
	case []any:
		args := make([]string, len(c))
		for i, a := range c {
			args[i] = fmt.Sprint(a)
		}
		return args
	}
	t.Fatalf("command: neither a string nor a list: %T", s.Command)
	return nil
}

// resolveCommand finds the rcm command that args name, and the arguments
// left after it.
func resolveCommand(app *ucli.App, args []string) (path []string, cmd *ucli.Command, rest []string) {
	commands := app.Commands
	for i, a := range args {
		c := findCommand(commands, a)
		if c == nil {
			return path, cmd, args[i:]
		}
		path, cmd, commands = append(path, c.Name), c, c.Subcommands
	}
	return path, cmd, nil
}

// commandEnv maps each RCM_* variable the command's flags read to its flag.
func commandEnv(cmd *ucli.Command) map[string]ucli.DocGenerationFlag {
	vars := map[string]ucli.DocGenerationFlag{}
	for _, f := range cmd.Flags {
		if d, ok := f.(ucli.DocGenerationFlag); ok {
			for _, v := range d.GetEnvVars() {
				vars[v] = d
			}
		}
	}
	return vars
}

// readsEnv lists every variable any command of rcm reads.
func readsEnv(app *ucli.App) map[string][]string {
	reads := map[string][]string{}
	var walk func(path []string, cs []*ucli.Command)
	walk = func(path []string, cs []*ucli.Command) {
		for _, c := range cs {
			p := append(slices.Clone(path), c.Name)
			for v := range commandEnv(c) {
				reads[v] = append(reads[v], strings.Join(p, " "))
			}
			walk(p, c.Subcommands)
		}
	}
	walk(nil, app.Commands)
	return reads
}

// composeNeeds are the flags a command cannot do without in a container,
// beyond those whose default points at the container itself (127.0.0.1),
// which every command needs set too.
func composeNeeds(command string) []string {
	return map[string][]string{
		"worker":    {"database-url", "smtp-url", "base-url"},
		"serve":     {"database-url", "base-url"},
		"demo seed": {"database-url"},
	}[command]
}

// needs lists the variables of the flags cmd needs in a container.
func needs(t *testing.T, path string, cmd *ucli.Command) [][]string {
	t.Helper()
	var out [][]string
	for _, f := range cmd.Flags {
		d, ok := f.(ucli.DocGenerationFlag)
		if !ok || len(d.GetEnvVars()) == 0 {
			continue
		}
		loopback := strings.Contains(d.GetValue(), "127.0.0.1") || strings.Contains(d.GetValue(), "localhost")
		if loopback || slices.Contains(composeNeeds(path), f.Names()[0]) {
			out = append(out, d.GetEnvVars())
		}
	}
	for _, name := range composeNeeds(path) {
		require.True(t, slices.ContainsFunc(cmd.Flags, func(f ucli.Flag) bool { return slices.Contains(f.Names(), name) }),
			"composeNeeds names --%s, which rcm %s does not have", name, path)
	}
	return out
}

// composeProblems checks the rcm services of f against the command line of
// app and says what is wrong, one line a problem.
func composeProblems(t *testing.T, f composeFile, app *ucli.App) []string {
	t.Helper()
	reads := readsEnv(app)
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	seen := map[string]bool{}
	names := slices.Sorted(maps.Keys(f.Services))
	for _, name := range names {
		svc := f.Services[name]
		env := svc.env(t)
		if !svc.rcm() {
			for k := range env {
				if strings.HasPrefix(k, "RCM_") {
					bad("service %s is not rcm but sets %s", name, k)
				}
			}
			continue
		}
		args := svc.args(t)
		if len(args) == 0 {
			bad("service %s: no command; name the rcm command it runs", name)
			continue
		}
		path, cmd, rest := resolveCommand(app, args)
		command := strings.Join(path, " ")
		switch {
		case cmd == nil:
			bad("service %s: rcm has no command %q", name, args[0])
			continue
		case len(cmd.Subcommands) > 0:
			bad("service %s: rcm %s needs a subcommand, not %q", name, command, strings.Join(rest, " "))
			continue
		}
		for _, a := range rest {
			flagName, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !strings.HasPrefix(a, "-") || !slices.ContainsFunc(cmd.Flags, func(f ucli.Flag) bool { return slices.Contains(f.Names(), flagName) }) {
				bad("service %s: rcm %s has no flag or subcommand %q", name, command, a)
			}
		}
		seen[command] = true

		vars := commandEnv(cmd)
		for _, k := range slices.Sorted(maps.Keys(env)) {
			if !strings.HasPrefix(k, "RCM_") {
				continue
			}
			if _, ok := reads[k]; !ok {
				bad("service %s sets %s, which rcm does not read", name, k)
			} else if _, ok := vars[k]; !ok {
				bad("service %s sets %s, which rcm %s does not read (only %s)", name, k, command, strings.Join(reads[k], ", "))
			}
		}
		for _, alternatives := range needs(t, command, cmd) {
			if !slices.ContainsFunc(alternatives, func(v string) bool { return env[v] != "" }) {
				bad("service %s runs rcm %s but sets none of %s", name, command, strings.Join(alternatives, ", "))
			}
		}
	}
	for _, command := range []string{"worker", "serve", "demo seed"} {
		if !seen[command] {
			bad("no service runs rcm %s", command)
		}
	}
	return problems
}

func TestComposeRunsRealCommandsWithTheVariablesTheyRead(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	require.Contains(t, readsEnv(app), "RCM_DATABASE_URL", "the walk over the commands finds the shared flags")
	assert.Empty(t, composeProblems(t, readCompose(t), app))
}

// TestComposeCheckCatchesMistakes proves the check above fails where it
// should, on copies of docker-compose.yml with one mistake each.
func TestComposeCheckCatchesMistakes(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	tests := []struct {
		name   string
		change func(f composeFile)
		want   string
	}{
		{"a variable rcm does not read", func(f composeFile) { setEnv(f, "rcm-worker", "RCM_SMTP_HOST", "mailpit") },
			"service rcm-worker sets RCM_SMTP_HOST, which rcm does not read"},
		{"a variable of another command", func(f composeFile) { setEnv(f, "rcm-worker", "RCM_ADDR", "0.0.0.0:8080") },
			"service rcm-worker sets RCM_ADDR, which rcm worker does not read (only "},
		{"a missing variable", func(f composeFile) { setEnv(f, "rcm-worker", "RCM_SMTP_URL", "") },
			"service rcm-worker runs rcm worker but sets none of RCM_SMTP_URL"},
		{"a loopback default left as it is", func(f composeFile) { setEnv(f, "rcm-web", "RCM_TEMPORAL_ADDRESS", "") },
			"service rcm-web runs rcm serve but sets none of RCM_TEMPORAL_ADDRESS"},
		{"an unknown command", func(f composeFile) { setCommand(f, "rcm-web", "server") },
			`service rcm-web: rcm has no command "server"`},
		{"a command without its subcommand", func(f composeFile) { setCommand(f, "demo-seed", "demo") },
			"service demo-seed: rcm demo needs a subcommand"},
		{"an unknown flag", func(f composeFile) { setCommand(f, "rcm-worker", "worker", "--smtp", "x") },
			`service rcm-worker: rcm worker has no flag or subcommand "--smtp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readCompose(t)
			tt.change(f)
			problems := composeProblems(t, f, app)
			assert.True(t, slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.want) }),
				"want a problem containing %q, got %q", tt.want, problems)
		})
	}
}

// setEnv sets (or, with "", removes) a variable of a service in f.
func setEnv(f composeFile, service, name, value string) {
	svc := f.Services[service]
	env := map[string]any{}
	if m, ok := svc.Environment.(map[string]any); ok {
		for k, v := range m {
			env[k] = v
		}
	}
	if value == "" {
		delete(env, name)
	} else {
		env[name] = value
	}
	svc.Environment = env
	f.Services[service] = svc
}

func setCommand(f composeFile, service string, args ...string) {
	svc := f.Services[service]
	cmd := make([]any, len(args))
	for i, a := range args {
		cmd[i] = a
	}
	svc.Command = cmd
	f.Services[service] = svc
}

func TestComposeNeedsWhatTheWorkerAndServerNeed(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	for command, want := range map[string][]string{
		"worker": {"RCM_DATABASE_URL", "RCM_TEMPORAL_ADDRESS", "RCM_SMTP_URL", "RCM_BASE_URL"},
		"serve":  {"RCM_DATABASE_URL", "RCM_TEMPORAL_ADDRESS", "RCM_ADDR", "RCM_BASE_URL"},
	} {
		_, cmd, _ := resolveCommand(app, strings.Fields(command))
		require.NotNil(t, cmd, command)
		var got []string
		for _, vars := range needs(t, command, cmd) {
			got = append(got, vars[0])
		}
		sort.Strings(got)
		sort.Strings(want)
		assert.Equal(t, want, got, "the variables rcm %s needs in a container", command)
	}
}

func TestComposeAddressesNameItsServices(t *testing.T) {
	f := readCompose(t)
	hostOf := func(name, raw string) string {
		u, err := url.Parse(raw)
		require.NoError(t, err, "service %s: %s", name, raw)
		return u.Hostname()
	}
	for name, svc := range f.Services {
		env := svc.env(t)
		if v, ok := env["RCM_DATABASE_URL"]; ok {
			assert.Contains(t, f.Services, hostOf(name, v), "service %s: RCM_DATABASE_URL names no service", name)
			assert.Equal(t, "/rcm", must(url.Parse(v)).Path, "service %s: rcm's database is rcm", name)
		}
		if v, ok := env["RCM_TEMPORAL_ADDRESS"]; ok {
			host, _, err := net.SplitHostPort(v)
			require.NoError(t, err, "service %s: RCM_TEMPORAL_ADDRESS %q is not HOST:PORT", name, v)
			assert.Contains(t, f.Services, host, "service %s: RCM_TEMPORAL_ADDRESS names no service", name)
		}
		if v, ok := env["RCM_SMTP_URL"]; ok {
			cfg, err := notifications.ParseSMTPURL(v)
			require.NoError(t, err, "service %s: RCM_SMTP_URL", name)
			assert.Contains(t, f.Services, cfg.Host, "service %s: RCM_SMTP_URL names no service", name)
		}
		if v, ok := env["RCM_ADDR"]; ok {
			host, _, err := net.SplitHostPort(v)
			require.NoError(t, err)
			assert.Equal(t, "0.0.0.0", host, "service %s: a server in a container listens on every interface", name)
		}
	}
}

func TestComposeDependenciesWaitForHealthyServices(t *testing.T) {
	f := readCompose(t)
	conditions := []string{"service_started", "service_healthy", "service_completed_successfully"}
	for name, svc := range f.Services {
		for dep, d := range svc.DependsOn {
			other, ok := f.Services[dep]
			require.True(t, ok, "service %s depends on %s, which does not exist", name, dep)
			assert.Contains(t, conditions, d.Condition, "service %s: depends_on %s needs a condition", name, dep)
			if d.Condition == "service_healthy" {
				assert.NotNil(t, other.Healthcheck, "service %s waits for %s to be healthy, which has no healthcheck", name, dep)
			}
		}
		if svc.rcm() {
			assert.NotEmpty(t, svc.DependsOn, "rcm service %s waits for nothing", name)
		}
		for _, c := range svc.Configs {
			assert.Contains(t, f.Configs, c.Source, "service %s uses config %s, which is not defined", name, c.Source)
		}
		for _, v := range svc.Volumes {
			if src, _, ok := strings.Cut(v, ":"); ok && !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") {
				assert.Contains(t, f.Volumes, src, "service %s uses volume %s, which is not declared", name, src)
			}
		}
	}
	for _, name := range []string{"postgres", "temporal", "temporal-ui", "mailpit", "rcm-worker", "rcm-web"} {
		assert.Contains(t, f.Services, name)
	}
}

func TestDockerfileBuildsRcmAndRunsItAsAnotherUser(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	require.NoError(t, err)
	d := string(b)
	assert.Regexp(t, `(?m)^FROM golang:1\.26\b.* AS build$`, d)
	assert.Contains(t, d, "go build")
	assert.Contains(t, d, "./cmd/rcm")
	assert.Contains(t, d, "tzdata")
	assert.Contains(t, d, "ca-certificates")
	user := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindStringSubmatch(d)
	require.NotNil(t, user, "the image names a user")
	assert.NotContains(t, []string{"root", "0", "0:0"}, user[1])
	assert.Regexp(t, `(?m)^ENTRYPOINT \["rcm"\]$`, d, "compose commands are rcm's arguments")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The Temporal cluster of docker-compose.yml runs from temporalconfig/, the
// configuration devstack writes for rcm dev --topology cluster and the
// cluster system test; these tests hold the compose file to it, so a test
// that runs one checks the other.

// temporalServices maps each compose service that runs the Temporal server
// to the Temporal service its command names.
func temporalServices(t *testing.T, f composeFile) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, svc := range f.Services {
		if strings.HasPrefix(svc.Image, "temporalio/server:") {
			out[name] = strings.Join(svc.args(t), " ")
		}
	}
	return out
}

// temporalVersion is the server version devstack provisions: "1.29.1".
func temporalVersion() string { return strings.TrimPrefix(devstack.TemporalServer().Version, "v") }

// temporalProblems checks the Temporal services and jobs of f against
// temporalconfig and devstack and says what is wrong, one line a problem.
func temporalProblems(t *testing.T, f composeFile) []string {
	t.Helper()
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	services := temporalServices(t, f)
	var running []string
	for _, name := range slices.Sorted(maps.Keys(services)) {
		service, svc := services[name], f.Services[name]
		running = append(running, service)
		if !slices.Contains(temporalconfig.Services(), service) {
			bad("service %s runs Temporal service %q; the services are %v", name, service, temporalconfig.Services())
		}
		if image := interpolate(svc.Image); image != "temporalio/server:"+temporalVersion() {
			bad("service %s runs %s, not the server devstack provisions (%s)", name, image, temporalVersion())
		}
		script := strings.Join(svc.Entrypoint, " ")
		for _, want := range []string{"temporal-server --root . --config config --env " + temporalconfig.Environment, `start --service "$$1"`} {
			if !strings.Contains(script, want) {
				bad("service %s: its entrypoint does not run %q", name, want)
			}
		}
		mounts := map[string]string{}
		for _, c := range svc.Configs {
			mounts[c.Target] = f.Configs[c.Source].File
		}
		for _, file := range []string{temporalconfig.ConfigFile, temporalconfig.DynamicConfigFile} {
			target := path.Join(svc.WorkingDir, "config", file)
			if got := mounts[target]; got != "./temporalconfig/"+file {
				bad("service %s: %s is %q, not ./temporalconfig/%s", name, target, got, file)
			}
		}
		env := svc.env(t)
		for _, k := range slices.Sorted(maps.Keys(env)) {
			if !slices.Contains(temporalconfig.Variables(), k) {
				bad("service %s sets %s, which %s does not read", name, k, temporalconfig.ConfigFile)
			}
		}
		if host := env["TEMPORAL_POSTGRES_HOST"]; f.Services[host].Image == "" || !strings.HasPrefix(f.Services[host].Image, "postgres:") {
			bad("service %s: TEMPORAL_POSTGRES_HOST %q is not the PostgreSQL service", name, host)
		}
		if env["TEMPORAL_BIND_IP"] == "0.0.0.0" && !strings.Contains(script, "TEMPORAL_BROADCAST_ADDRESS=") {
			bad("service %s listens on every interface but does not tell the others its address (TEMPORAL_BROADCAST_ADDRESS)", name)
		}
	}
	slices.Sort(running)
	if want := slices.Sorted(slices.Values(temporalconfig.Services())); !slices.Equal(running, want) {
		bad("the Temporal services run are %v, want each of %v once", running, want)
	}

	schema := f.Services["temporal-schema"]
	if image := interpolate(schema.Image); !strings.HasPrefix(image, "temporalio/admin-tools:"+temporalVersion()+"-") {
		bad("temporal-schema runs %s, whose schema tool is not version %s", image, temporalVersion())
	}
	env := schema.env(t)
	if env["SQL_PLUGIN"] != devstack.TemporalSQLPlugin {
		bad("temporal-schema: SQL_PLUGIN is %q, not %s", env["SQL_PLUGIN"], devstack.TemporalSQLPlugin)
	}
	if !strings.HasPrefix(f.Services[env["SQL_HOST"]].Image, "postgres:") {
		bad("temporal-schema: SQL_HOST %q is not the PostgreSQL service", env["SQL_HOST"])
	}
	var lines []string
	for _, l := range strings.Split(strings.Join(schema.args(t), "\n"), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "temporal-sql-tool ") && !strings.Contains(l, "create-database") {
			lines = append(lines, l)
		}
	}
	var want []string
	for _, step := range devstack.TemporalSchemaSteps(devstack.TemporalDatabase, devstack.TemporalVisibilityDatabase) {
		want = append(want, "temporal-sql-tool "+strings.Join(step, " "))
	}
	if !slices.Equal(lines, want) {
		bad("temporal-schema runs\n  %s\nnot devstack's steps\n  %s", strings.Join(lines, "\n  "), strings.Join(want, "\n  "))
	}
	retention := "--retention " + strings.TrimSuffix(devstack.TemporalNamespaceRetention.String(), "0m0s")
	if !strings.Contains(strings.Join(f.Services["temporal-namespace"].args(t), " "), retention) {
		bad("temporal-namespace does not register the namespace with %s, as devstack does", retention)
	}
	return problems
}

func TestComposeRunsTheTemporalClusterFromTheSharedConfiguration(t *testing.T) {
	f := readCompose(t)
	assert.Empty(t, temporalProblems(t, f))
	// The files it mounts are the ones devstack writes.
	for file, want := range map[string][]byte{temporalconfig.ConfigFile: temporalconfig.Config(), temporalconfig.DynamicConfigFile: temporalconfig.DynamicConfig()} {
		got, err := os.ReadFile(path.Join("..", "temporalconfig", file))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), file)
	}
}

// TestComposeTemporalCheckCatchesMistakes proves the check above fails
// where it should, on copies of docker-compose.yml with one mistake each.
func TestComposeTemporalCheckCatchesMistakes(t *testing.T) {
	tests := []struct {
		name   string
		change func(f composeFile)
		want   string
	}{
		{"a service missing", func(f composeFile) { delete(f.Services, "temporal-matching") },
			"the Temporal services run are [frontend history worker], want each of [frontend history matching worker] once"},
		{"a service run twice", func(f composeFile) { setCommand(f, "temporal-worker", "history") },
			"the Temporal services run are [frontend history history matching]"},
		{"a variable the configuration does not read", func(f composeFile) { setEnv(f, "temporal-history", "TEMPORAL_POSTGRES_SEEDS", "postgres") },
			"service temporal-history sets TEMPORAL_POSTGRES_SEEDS, which rcm.yaml does not read"},
		{"another configuration file", func(f composeFile) { f.Configs["temporal-config"] = composeConfig{File: "./temporal.yaml"} },
			`service temporal: /etc/temporal/config/rcm.yaml is "./temporal.yaml", not ./temporalconfig/rcm.yaml`},
		{"another server version", func(f composeFile) {
			svc := f.Services["temporal"]
			svc.Image = "temporalio/server:1.28.0"
			f.Services["temporal"] = svc
		}, "service temporal runs temporalio/server:1.28.0, not the server devstack provisions (1.29.1)"},
		{"no broadcast address", func(f composeFile) {
			svc := f.Services["temporal-history"]
			svc.Entrypoint = []string{"temporal-server", "--root", ".", "--config", "config", "--env", "rcm", "start", "--service", `"$$1"`}
			f.Services["temporal-history"] = svc
		}, "service temporal-history listens on every interface but does not tell the others its address"},
		{"a schema step left out", func(f composeFile) {
			svc := f.Services["temporal-schema"]
			svc.Command = []any{strings.Replace(strings.Join(svc.args(t), "\n"),
				"temporal-sql-tool --db temporal_visibility update-schema --schema-name postgresql/v12/visibility", "", 1)}
			f.Services["temporal-schema"] = svc
		}, "temporal-schema runs"},
		{"the PostgreSQL host misspelt", func(f composeFile) { setEnv(f, "temporal-worker", "TEMPORAL_POSTGRES_HOST", "postgress") },
			`service temporal-worker: TEMPORAL_POSTGRES_HOST "postgress" is not the PostgreSQL service`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readCompose(t)
			tt.change(f)
			problems := temporalProblems(t, f)
			assert.True(t, slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.want) }),
				"want a problem containing %q, got %q", tt.want, problems)
		})
	}
}

// renderedTemporalConfig is the part of `temporal-server render-config`'s
// output the test reads.
type renderedTemporalConfig struct {
	Persistence struct {
		DefaultStore    string `yaml:"defaultStore"`
		VisibilityStore string `yaml:"visibilityStore"`
		DataStores      map[string]struct {
			SQL struct {
				PluginName   string `yaml:"pluginName"`
				DatabaseName string `yaml:"databaseName"`
				ConnectAddr  string `yaml:"connectAddr"`
				User         string `yaml:"user"`
			} `yaml:"sql"`
		} `yaml:"datastores"`
	} `yaml:"persistence"`
	Global struct {
		Membership struct {
			BroadcastAddress string `yaml:"broadcastAddress"`
		} `yaml:"membership"`
	} `yaml:"global"`
	Services map[string]struct {
		RPC struct {
			GRPCPort int    `yaml:"grpcPort"`
			BindOnIP string `yaml:"bindOnIP"`
		} `yaml:"rpc"`
	} `yaml:"services"`
	ClusterMetadata struct {
		ClusterInformation map[string]struct {
			RPCAddress string `yaml:"rpcAddress"`
		} `yaml:"clusterInformation"`
	} `yaml:"clusterMetadata"`
	DynamicConfigClient struct {
		Filepath string `yaml:"filepath"`
	} `yaml:"dynamicConfigClient"`
}

// TestComposeTemporalConfigurationRendersWithTheServer lays out each
// Temporal container's files as Compose mounts them, renders the
// configuration with the container's variables using the server itself
// (`temporal-server render-config`, which also validates it), and checks
// where it points: the PostgreSQL service and the databases the schema job
// sets up, the address each container broadcasts, the frontend port that
// is published and that rcm and the UI call, the dynamic configuration
// mounted.
func TestComposeTemporalConfigurationRendersWithTheServer(t *testing.T) {
	cache, err := devstack.CacheDir()
	require.NoError(t, err)
	server, err := devstack.Find(devstack.TemporalServer(), cache)
	require.NoError(t, err, "run ./scripts/test or `go run ./cmd/rcm tools install temporal-server`, which provision it")
	f := readCompose(t)
	const broadcast = "172.18.0.5" // what the entrypoint's `hostname -i` gives a container
	services := temporalServices(t, f)
	require.Equal(t, "frontend", services["temporal"], "the frontend is the service named temporal")
	for name, service := range services {
		svc := f.Services[name]
		dir := t.TempDir()
		for _, c := range svc.Configs {
			rel, err := filepath.Rel(svc.WorkingDir, c.Target)
			require.NoError(t, err)
			content, err := os.ReadFile(filepath.Join("..", f.Configs[c.Source].File))
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, rel), content, 0o644))
		}
		cmd := exec.Command(server, "--root", ".", "--config", "config", "--env", temporalconfig.Environment, "render-config")
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TEMPORAL_BROADCAST_ADDRESS=" + broadcast}
		for k, v := range svc.env(t) {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, "service %s: render-config: %s", name, stderr.String())
		var cfg renderedTemporalConfig
		require.NoError(t, yaml.Unmarshal(out, &cfg), "service %s: %s", name, out)

		stores := cfg.Persistence.DataStores
		main, visibility := stores[cfg.Persistence.DefaultStore].SQL, stores[cfg.Persistence.VisibilityStore].SQL
		assert.Equal(t, devstack.TemporalSQLPlugin, main.PluginName, name)
		assert.Equal(t, devstack.TemporalDatabase, main.DatabaseName, "%s: the database the schema job sets up", name)
		assert.Equal(t, devstack.TemporalVisibilityDatabase, visibility.DatabaseName, name)
		for _, sql := range []string{main.ConnectAddr, visibility.ConnectAddr} {
			host, port, err := net.SplitHostPort(sql)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(f.Services[host].Image, "postgres:"), "%s: %s is the PostgreSQL service", name, sql)
			assert.Equal(t, "5432", port, name)
		}
		assert.Equal(t, broadcast, cfg.Global.Membership.BroadcastAddress, name)
		own := cfg.Services[service].RPC
		assert.Equal(t, "0.0.0.0", own.BindOnIP, "%s listens on its container's interfaces", name)
		assert.Equal(t, path.Join(svc.WorkingDir, cfg.DynamicConfigClient.Filepath), "/etc/temporal/config/"+temporalconfig.DynamicConfigFile, name)

		frontend := fmt.Sprintf("%s:%d", "temporal", cfg.Services["frontend"].RPC.GRPCPort)
		assert.Equal(t, frontend, cfg.ClusterMetadata.ClusterInformation["active"].RPCAddress, name)
		for _, other := range []string{"rcm-web", "rcm-worker"} {
			assert.Equal(t, frontend, f.Services[other].env(t)["RCM_TEMPORAL_ADDRESS"], other)
		}
		assert.Equal(t, frontend, f.Services["temporal-ui"].env(t)["TEMPORAL_ADDRESS"])
		if service == "frontend" {
			_, grpcPort, _ := strings.Cut(frontend, ":")
			assert.Contains(t, svc.Ports, "127.0.0.1:"+grpcPort+":"+grpcPort, "the frontend's port is published")
		}
	}
}
