package storage

import (
	"time"
)

// The background maintenance (Compact) gives way to users. It announces
// itself in its lock info as a process that yields; an Open that finds the
// store held by it sends it SIGTERM, on which it closes the store after the
// compaction step under way (a bounded one, compact.go), and if it still
// holds the store yieldGrace later, kills it. Killing it at any instant is
// safe: Badger records a finished step in its MANIFEST at once and deletes
// the tables of an unfinished one on the next open, and the storage
// package repairs whatever else a killed process leaves (recover.go).

// yieldGrace is how long a user's command lets the maintenance finish its
// step before killing it: long enough for a level-0 step on this project's
// reference machine, so that maintenance still progresses while commands
// follow each other without a pause, short enough not to be noticed.
const yieldGrace = 60 * time.Millisecond

// yielder stops yielding holders of one store for an Open.
type yielder struct {
	dir   string
	grace time.Duration
	asked map[int]time.Time // pid → when it was asked to stop
}

// newYielder makes the yielder of one Open; grace zero means yieldGrace.
func newYielder(dir string, grace time.Duration) *yielder {
	if grace == 0 {
		grace = yieldGrace
	}
	return &yielder{dir: dir, grace: grace}
}

// nudge asks each yielding process that holds the store to stop, or kills
// it once it has had its grace to do so. It reports whether one holds the
// store. Only a holder the kernel confirms is touched (where it cannot be
// asked, nothing is), and only when the process is the one that wrote the
// lock info, not a later one that reused its pid.
func (y *yielder) nudge() bool {
	locking, ok := lockHolders(y.dir)
	if !ok || len(locking) == 0 {
		return false
	}
	found := false
	for _, h := range readHolders(y.dir) {
		if !h.Yields || !holdsLock(locking, h.PID) || !startedBefore(h.PID, h.Since) {
			continue
		}
		found = true
		if y.asked == nil {
			y.asked = map[int]time.Time{}
		}
		at, asked := y.asked[h.PID]
		switch {
		case !asked:
			if stopProcess(h.PID, false) == nil {
				y.asked[h.PID] = time.Now()
			}
		case time.Since(at) >= y.grace:
			_ = stopProcess(h.PID, true)
		}
	}
	return found
}

func holdsLock(locking []Holder, pid int) bool {
	for _, l := range locking {
		if l.PID == pid {
			return true
		}
	}
	return false
}

// startedBefore tells whether process pid was already running at t. The
// start time the system gives is exact to a second (the boot time's
// precision), hence the margin; a pid reused within it would need the
// system to go through all its pids in that second.
func startedBefore(pid int, t time.Time) bool {
	start := processStart(pid)
	return !start.IsZero() && start.Before(t.Add(2*time.Second))
}

// announceYielder writes the lock info of a yielding open before it takes
// the lock, where the kernel can tell which process really holds it (other
// processes ignore the info of one still waiting); elsewhere nothing
// would tell them, so nothing is written yet.
func announceYielder(dir, command string) string {
	if _, ok := lockHolders(dir); !ok {
		return ""
	}
	return writeHolder(dir, Holder{Command: command, Yields: true})
}
