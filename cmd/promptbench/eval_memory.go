package main

import "runtime/debug"

// boundEvalMemory makes an evaluation collect garbage at half its live
// heap instead of Go's default of all of it: a run over 100,000 rows
// turns over a few hundred megabytes of log entries and store buffers
// while its live heap stays near 40 MB, and the default let its resident
// memory reach about 200 MB (README, "Evaluate in CI"). A GOGC the user
// sets wins.
func boundEvalMemory(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
}
