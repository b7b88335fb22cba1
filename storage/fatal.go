package storage

import (
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"strings"
)

// Badger (and ristretto below it) treat a broken invariant as fatal: y.Check
// and y.AssertTrue call the standard library's log.Fatalf, which exits the
// process with status 1 and Badger's message. A user then sees exit 1 (the
// code of a missed evaluation threshold) and a line that says nothing about
// what to do. TrapFatalLogs turns those calls into errors: a log.Fatal made
// while this package is calling Badger on the same goroutine unwinds as a
// panic that the call recovers into a *FatalError; one made elsewhere (a
// Badger background goroutine) ends the process with status 3 and a
// readable line instead.

// FatalError is a failure Badger considered fatal.
type FatalError struct {
	Msg string // Badger's message, first line
}

func (e *FatalError) Error() string {
	return "the store failed inside Badger: " + e.Msg +
		"; the data on disk is unchanged by this failure: run `promptbench doctor`, and report it if it persists"
}

// FatalExitCode is the status a process ends with when Badger fails
// fatally outside a call of this package.
const FatalExitCode = 3

// TrapFatalLogs routes the standard logger through the trap described above,
// writing ordinary log lines to w. A process calls it once, at start.
func TrapFatalLogs(w io.Writer) {
	log.SetFlags(0)
	log.SetOutput(fatalTrap{w: w})
}

type fatalTrap struct{ w io.Writer }

func (t fatalTrap) Write(p []byte) (int, error) {
	if !calledFrom("log.Fatal") {
		return t.w.Write(p)
	}
	msg := firstLine(strings.TrimSpace(string(p)))
	if calledFrom(guardName) {
		panic(&FatalError{Msg: msg})
	}
	fmt.Fprintf(t.w, "promptbench: %v\n", &FatalError{Msg: msg})
	os.Exit(FatalExitCode)
	return len(p), nil
}

// guardName is guarded's full name as runtime.Callers reports it.
const guardName = "promptbench/storage.guarded"

// calledFrom tells whether a function whose full name starts with prefix is
// on the calling goroutine's stack.
func calledFrom(prefix string) bool {
	pcs := make([]uintptr, 256)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, prefix) {
			return true
		}
		if !more {
			return false
		}
	}
}

// guarded runs fn, a call into Badger, turning a trapped log.Fatal into a
// *FatalError. It must not be inlined: the trap finds it by name on the
// stack.
//
//go:noinline
func guarded(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			fe, ok := r.(*FatalError)
			if !ok {
				panic(r)
			}
			err = fe
		}
	}()
	return fn()
}
