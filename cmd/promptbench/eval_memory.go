package main

import "runtime/debug"

// evalMemoryLimit is the heap size past which an evaluation's garbage
// collector works harder. The live heap of a run stays under 40 MB while
// its calls go on, however many (the store's memtables and table builder
// while one is written out; the per-case results wait in a temporary
// file), and grows by about 80 bytes per call when the report reads the
// results back (31 MB at 400,000 calls); what pushes resident memory up
// is garbage waiting for the next collection, so a soft limit keeps it in
// check at a little more CPU: at 56 MB a 100,000-row run peaked at about
// 92 MB of resident memory, at 64 MB about 100 MB.
const evalMemoryLimit = 56 << 20

// boundEvalMemory makes an evaluation collect garbage at half its live
// heap instead of Go's default of all of it, and sooner still as the heap
// nears evalMemoryLimit: a run over 100,000 rows turns over a few hundred
// megabytes of log entries and store buffers, and the defaults let its
// resident memory reach about 200 MB (README, "Evaluate in CI"). A GOGC
// or GOMEMLIMIT the user sets wins.
func boundEvalMemory(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(evalMemoryLimit)
	}
}
