// Command promptbench is a terminal prompt workbench: a versioned prompt
// library in an embedded store, model runs and evaluations.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := newApp(streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv, os.Environ())
	a.maintain = backgroundMaintenance()
	code := a.execute(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
