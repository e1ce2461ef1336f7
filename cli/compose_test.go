package cli

import (
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"

	"rcm/notifications"
)

// There is no container engine here, so docker-compose.yml is checked
// against the real command line instead: the commands its rcm services run
// exist, every RCM_* variable it sets is one that command reads, and none
// that the command needs in a container is missing.

// composeFile is the part of docker-compose.yml the test reads.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
	Configs  map[string]any            `yaml:"configs"`
}

type composeService struct {
	Image       string                       `yaml:"image"`
	Build       any                          `yaml:"build"`
	Command     any                          `yaml:"command"`
	Environment any                          `yaml:"environment"`
	DependsOn   map[string]composeDependency `yaml:"depends_on"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	Volumes  []string `yaml:"volumes"`
	Profiles []string `yaml:"profiles"`
	Configs  []struct {
		Source string `yaml:"source"`
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
