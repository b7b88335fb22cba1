package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// holdersDir, inside the store directory, holds one lock-info file per open
// Store: Badger's own LOCK file records only a writer's pid, and nothing for
// readers.
const holdersDir = "holders"

// Holder is a process that had the store open when Open gave up.
type Holder struct {
	PID      int       `json:"pid"`
	Command  string    `json:"command"`
	Since    time.Time `json:"since"`
	ReadOnly bool      `json:"read_only"`
	// Yields marks the background maintenance, which stops when another
	// process needs the store (yield.go).
	Yields bool `json:"yields,omitempty"`
}

// LockedError is returned by Open when other processes held the store for
// longer than Options.LockWait. errors.Is(err, ErrLocked) reports it.
type LockedError struct {
	Dir     string
	Holders []Holder // empty when no holder could be identified
	// Unnamed says why no holder is named when Holders is empty.
	Unnamed string
	Waited  time.Duration
}

func (e *LockedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "store %s is in use by ", e.Dir)
	if len(e.Holders) == 0 {
		b.WriteString("another process")
		if e.Unnamed != "" {
			b.WriteString(" (" + e.Unnamed + ")")
		}
	}
	for i, h := range e.Holders {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(h.describe())
	}
	fmt.Fprintf(&b, "; waited %s. Wait for it to finish, or close the other promptbench.", roundWait(e.Waited))
	return b.String()
}

// roundWait keeps a wait readable without hiding a short one: "waited 0s"
// after 30 ms said nothing true.
func roundWait(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

func (h Holder) describe() string {
	var parts []string
	if h.Command != "" {
		parts = append(parts, h.Command)
	} else {
		parts = append(parts, "unknown command")
	}
	if h.ReadOnly {
		parts = append(parts, "reading")
	}
	if !h.Since.IsZero() {
		since := h.Since.Local()
		layout := time.TimeOnly
		if y, m, d := since.Date(); !sameDay(y, m, d, time.Now()) {
			layout = time.DateTime
		}
		parts = append(parts, "since "+since.Format(layout))
	}
	return fmt.Sprintf("pid %d (%s)", h.PID, strings.Join(parts, ", "))
}

func sameDay(y int, m time.Month, d int, t time.Time) bool {
	ty, tm, td := t.Date()
	return y == ty && m == tm && d == td
}

// writeHolder records this process as a holder of the store and returns the
// file to remove on Close, or "" when it could not be written: lock info is
// a courtesy to other processes, never a reason to fail (a reader may have no
// write access at all).
func writeHolder(dir string, h Holder) string {
	hdir := filepath.Join(dir, holdersDir)
	if err := os.MkdirAll(hdir, 0o755); err != nil {
		return ""
	}
	removeDeadHolders(hdir)
	h.PID, h.Since = os.Getpid(), time.Now()
	data, err := json.Marshal(h)
	if err != nil {
		return ""
	}
	// One file per Store, not per pid: a process may hold several readers.
	name := filepath.Join(hdir, fmt.Sprintf("%d-%08x.json", os.Getpid(), rand.Uint32()))
	// Write then rename, so that nobody reads half a file.
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return ""
	}
	if err := os.Rename(tmp, name); err != nil {
		_ = os.Remove(tmp)
		return ""
	}
	return name
}

func removeHolder(name string) {
	if name != "" {
		_ = os.Remove(name)
	}
}

// findHolders names the processes holding the store, oldest first, or says
// why it cannot. The kernel's list of locks is the truth where there is one;
// the lock-info files add the promptbench command and mode.
func findHolders(dir string) (holders []Holder, unnamed string) {
	described := readHolders(dir)
	locking, ok := lockHolders(dir)
	if !ok {
		if len(described) == 0 {
			return nil, "it left no lock info, and this system cannot tell which process holds a lock"
		}
		return described, ""
	}
	for _, l := range locking {
		h := describeProcess(l)
		for _, d := range described {
			if d.PID == l.PID {
				h = d
				// A writer to the pending log holds Badger's lock
				// shared, as readers do: its lock info tells.
				h.ReadOnly = l.ReadOnly && d.ReadOnly
				break
			}
		}
		holders = append(holders, h)
	}
	if len(holders) == 0 {
		return nil, "it released the store just as this command gave up: run the command again"
	}
	slices.SortFunc(holders, func(a, b Holder) int { return a.Since.Compare(b.Since) })
	return holders, ""
}

// readHolders lists the live holders of the store that left lock info,
// oldest first. Files of dead processes (killed, crashed) are skipped.
func readHolders(dir string) []Holder {
	entries, err := os.ReadDir(filepath.Join(dir, holdersDir))
	if err != nil {
		return nil
	}
	var holders []Holder
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, holdersDir, e.Name()))
		if err != nil {
			continue
		}
		var h Holder
		if json.Unmarshal(data, &h) != nil || !alive(h.PID) {
			continue
		}
		holders = append(holders, h)
	}
	slices.SortFunc(holders, func(a, b Holder) int { return a.Since.Compare(b.Since) })
	return holders
}

// removeDeadHolders deletes lock info that killed processes left behind, so
// that the directory does not grow and reports stay short.
func removeDeadHolders(hdir string) {
	entries, err := os.ReadDir(hdir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pidText, _, ok := strings.Cut(e.Name(), "-")
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(pidText)
		if err != nil || alive(pid) {
			continue
		}
		_ = os.Remove(filepath.Join(hdir, e.Name()))
	}
}

// errWaitedEnough ends the retries of a locked store.
var errWaitedEnough = errors.New("waited long enough")

// waiter spaces the attempts to open a locked store: exponential backoff
// from a few milliseconds, with full jitter so that several waiting
// processes do not retry in step, and a last attempt at the deadline.
type waiter struct {
	start time.Time
	limit time.Duration
	delay time.Duration
}

func newWaiter(limit time.Duration) *waiter {
	return &waiter{start: time.Now(), limit: limit, delay: 4 * time.Millisecond}
}

func (w *waiter) waited() time.Duration { return time.Since(w.start) }

// soon makes the next attempt come within a couple of milliseconds: the
// holder was asked to let go.
func (w *waiter) soon() { w.delay = 2 * time.Millisecond }

func (w *waiter) wait(ctx context.Context) error {
	left := w.limit - w.waited()
	if left <= 0 {
		return errWaitedEnough
	}
	d := w.delay/2 + rand.N(w.delay/2+1)
	d = min(d, left)
	// Polls are cheap (a failed flock), and the holder is most often a
	// background compaction of a few hundred milliseconds: waking every
	// 50 ms at most keeps the wait close to the time it really had to be.
	w.delay = min(2*w.delay, 50*time.Millisecond)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
