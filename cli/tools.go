package cli

import (
	"errors"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"rcm/devstack"
)

// toolsCommand provisions the programs `rcm dev` and the tests run: the
// Temporal CLI (its dev server) and Mailpit.
func toolsCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "tools",
		Usage: "build and locate the Temporal CLI and Mailpit that rcm dev and the tests run",
		Description: `rcm builds its tools from the Go module proxy with go install, once, into
its cache folder ($RCM_CACHE_DIR, else ~/.cache/rcm): tools/NAME-VERSION/NAME.
The first build takes a few minutes (the Temporal CLI about 5). Set
RCM_TEMPORAL_BIN or RCM_MAILPIT_BIN to use a binary you already have.`,
		Subcommands: []*ucli.Command{
			{
				Name:      "install",
				Usage:     "build the tools that are missing and print where they are",
				ArgsUsage: "[" + strings.Join(toolNames(), "|") + "]...",
				Action:    toolsInstall,
			},
			{
				Name:      "path",
				Usage:     "print the path of a provisioned tool (without building it)",
				ArgsUsage: strings.Join(toolNames(), "|"),
				Action:    toolsPath,
			},
		},
	}
}

func toolNames() []string {
	var names []string
	for _, t := range devstack.Tools() {
		names = append(names, t.Name)
	}
	return names
}

// toolsArgs turns the arguments into tools; none means all.
func toolsArgs(args []string) ([]devstack.Tool, error) {
	if len(args) == 0 {
		return devstack.Tools(), nil
	}
	var tools []devstack.Tool
	for _, name := range args {
		t, ok := devstack.ToolNamed(name)
		if !ok {
			return nil, usageError("unknown tool %q; the tools are %s", name, strings.Join(toolNames(), ", "))
		}
		tools = append(tools, t)
	}
	return tools, nil
}

func toolsInstall(c *ucli.Context) error {
	tools, err := toolsArgs(c.Args().Slice())
	if err != nil {
		return err
	}
	cache, err := devstack.CacheDir()
	if err != nil {
		return err
	}
	for _, t := range tools {
		path, err := devstack.Ensure(c.Context, t, cache, c.App.ErrWriter)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.App.Writer, "%-17s %s\n", t, path)
	}
	return nil
}

func toolsPath(c *ucli.Context) error {
	if c.Args().Len() != 1 {
		return usageError("tools path: name one tool: %s", strings.Join(toolNames(), "|"))
	}
	tools, err := toolsArgs(c.Args().Slice())
	if err != nil {
		return err
	}
	cache, err := devstack.CacheDir()
	if err != nil {
		return err
	}
	path, err := devstack.Find(tools[0], cache)
	if errors.Is(err, devstack.ErrNotProvisioned) {
		return &ExitError{Code: ExitNotFound, Err: fmt.Errorf("%w; build it with `rcm tools install %s`", err, tools[0].Name)}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, path)
	return nil
}
