//go:build pprof

package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// Built with -tags pprof, promptbench writes a CPU profile of the whole
// command to $PROMPTBENCH_CPUPROFILE and a heap profile at exit to
// $PROMPTBENCH_MEMPROFILE: go tool pprof reads them. An execution trace
// goes to $PROMPTBENCH_TRACE for go tool trace: where a command waits
// (store writes, network, the scheduler) rather than computes. Package
// initialisation, which runs before this, shows with GODEBUG=inittrace=1.
func startProfiles() (stop func()) {
	var stops []func()
	if path := os.Getenv("PROMPTBENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := os.Getenv("PROMPTBENCH_MEMPROFILE"); path != "" {
		// One sample per 4 KB allocated instead of per 512 KB: a
		// command allocates a few tens of MB.
		runtime.MemProfileRate = 4 << 10
		stops = append(stops, func() {
			// The profile counts what was allocated up to the last
			// collection, and a command may end before its first (list
			// sets a high GOGC): collect once so that it counts all.
			runtime.GC()
			if f, err := os.Create(path); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		})
	}
	if path := os.Getenv("PROMPTBENCH_TRACE"); path != "" {
		f, err := os.Create(path)
		if err == nil && trace.Start(f) == nil {
			stops = append(stops, func() { trace.Stop(); f.Close() })
		}
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}
