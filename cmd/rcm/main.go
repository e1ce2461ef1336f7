// Command rcm is the reporting-cycle manager: one binary for office staff,
// agencies, supervisors and the processes that run the system.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"rcm/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
