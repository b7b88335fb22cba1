package storage

import (
	"runtime/debug"
	"runtime/metrics"
)

// upgradeHeadroom is how much memory a schema migration may add to what the
// process used before it.
//
// A migration writing a key for every audit event makes garbage at the pace
// Badger fills memtables (a 2.6 MB arena for each 2 MB written) while its
// flushes and compactions hold table builders of several MB at once: some
// 30 to 45 MB live. Left to Go's default pacing, the heap grew to twice that
// before each collection, and a command that raised GOGC for its own work
// (list) let it grow to some 230 MB for 113,000 events.
const upgradeHeadroom = 32 << 20

// limitUpgradeMemory sets a soft memory limit of what the process uses now
// plus upgradeHeadroom, for the collector to run as often as it takes to
// stay under it while the migration writes, and returns the function that
// restores the limit before it. A lower limit already set (GOMEMLIMIT, an
// evaluation's own) stays.
func limitUpgradeMemory() (restore func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	used := int64(sample[0].Value.Uint64() - sample[1].Value.Uint64())
	limit := used + upgradeHeadroom
	prev := debug.SetMemoryLimit(-1)
	if prev <= limit {
		return func() {}
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}
