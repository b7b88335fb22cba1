// Command promptbench is a terminal prompt workbench: a versioned prompt
// library in an embedded store, model runs and evaluations.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"promptbench/workspace"
)

func main() {
	stopProfiles := startProfiles()
	code := processMain(os.Args[1:])
	stopProfiles()
	os.Exit(code)
}

// processMain is the whole process: real streams, environment and signals.
// Tests run it in child processes of the test binary.
func processMain(args []string) int {
	// Badger's fatal assertions become errors (exit 3), not exit 1.
	workspace.TrapFatalLogs(os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := newApp(streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv, os.Environ())
	if os.Getenv("PROMPTBENCH_NO_BACKGROUND") == "" {
		a.maintain = backgroundMaintenance()
	}
	return a.execute(ctx, args)
}
