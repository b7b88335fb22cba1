package storage

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// maxL0Tables is how many level-0 tables a store may gather before it is
// compacted. Each writing process leaves one level-0 table when it closes,
// and Badger's compactors start only after a random delay of up to a second,
// so short commands never compact (notes/badger.md, trap 1); every read
// then consults each table, and a show of one prompt gets half again
// slower at a dozen. The command line leaves compaction to a background
// process (Options.DeferCompaction, Compact); hardL0Limit is the fallback,
// and l0Stall keeps Badger from stalling writes before either acts.
const (
	maxL0Tables = 8
	hardL0Limit = 6 * maxL0Tables
	l0Stall     = 2 * hardL0Limit
	// batchedL0Stall is l0Stall for Options.Batched: no stall. A million
	// rows of an evaluation leave a few hundred tables.
	batchedL0Stall = 1 << 20
)

// The level shape. A compaction step merges level 0 into the base level,
// whose target is at most baseLevelSize, or one table of a deeper level
// into the tables of the next level that overlap it: with
// levelSizeMultiplier times more data below, that is about
// (1+levelSizeMultiplier) times the table size of that level (Badger
// doubles it per level below the base). So a step rewrites from 2 MB (level
// 0, the one short commands need) to about 20 MB (the deepest levels),
// whatever the size of the library: measured 20–150 ms per step at 10,000
// and at 50,000 prompts, where a full rewrite of 50,000 prompts × 10
// versions took 1.6 s and 600 MB. Smaller tables would make steps shorter
// but every open slower: an open reads the index of each table.
const (
	baseTableSize       = 1 << 20
	baseLevelSize       = 2 << 20
	levelSizeMultiplier = 8
)

// compactBudget bounds one Compact's work on deeper levels; a store still
// over its targets gets the rest at the next run.
const compactBudget = 20 * time.Second

// l0Tables counts the store's level-0 tables.
func (s *Store) l0Tables() int {
	for _, l := range s.db.Levels() {
		if l.Level == 0 {
			return l.NumTables
		}
	}
	return 0
}

// smallTableSize separates the level-0 tables short commands leave (a few
// KB each) from the tables of the levels below (up to baseTableSize, or
// more in deep levels), so that an open can estimate level 0 from a
// directory listing before it opens the store. A tiny library has small
// tables below level 0 too; the estimate then only makes a cheap step come
// early.
const smallTableSize = 256 << 10

// l0Limit is how many level-0 tables a read-write open may leave.
func l0Limit(deferred bool) int {
	if deferred {
		return hardL0Limit
	}
	return maxL0Tables
}

// l0Overdue tells a read-write open that level 0 is past what this open
// may leave: the fallback when background compaction did not run.
func (s *Store) l0Overdue() bool {
	return !s.readOnly && !s.pendingMode && s.l0Tables() > l0Limit(s.deferCompaction)
}

// deeperDue reports whether a level below 0 is over its target enough for
// Badger's compactors to pick it, or will be once level 0 has been merged
// into the base level.
func (s *Store) deeperDue(afterL0 bool) bool {
	levels := s.db.Levels()
	var l0 int64
	for i, l := range levels {
		if l.Level == 0 {
			l0 = l.Size
			continue
		}
		if i == len(levels)-1 {
			break // the last level has no target to exceed
		}
		if l.Score >= 1 && l.Adjusted >= 1 {
			return true
		}
		if afterL0 && l.IsBaseLevel && l.Size+l0 > l.TargetSize {
			return true
		}
	}
	return false
}

// l0Left counts the level-0 tables a level-0 step leaves: Badger merges
// the oldest tables whose key ranges overlap one another, and stops at the
// first that does not (a command's table spans its audit, prompt and
// version keys, so all overlap as a rule).
func (s *Store) l0Left() int {
	var lo, hi []byte
	merged, total := 0, 0
	for _, t := range s.db.Tables() {
		if t.Level != 0 {
			continue
		}
		total++
		left, right := userKey(t.Left), userKey(t.Right)
		if merged == total-1 && (merged == 0 || bytes.Compare(left, hi) <= 0 && bytes.Compare(right, lo) >= 0) {
			if merged == 0 || bytes.Compare(left, lo) < 0 {
				lo = left
			}
			if merged == 0 || bytes.Compare(right, hi) > 0 {
				hi = right
			}
			merged++
		}
	}
	return total - merged
}

// userKey strips the version Badger appends to the keys it reports.
func userKey(k []byte) []byte {
	if len(k) < 8 {
		return k
	}
	return k[:len(k)-8]
}

// CompactionDue tells a writing store's owner, before Close, that level 0
// or the pending log has grown enough for Compact to be worth running
// after it. It is false while a maintenance is already waiting for the
// store or running, so that commands in quick succession do not start one
// each.
func (s *Store) CompactionDue() bool {
	if s.readOnly {
		return false
	}
	// A read-write close adds a level-0 table; a pending-mode one none.
	added := 1
	if s.pendingMode {
		added = 0
	}
	return (s.l0Tables()+added >= maxL0Tables || s.pendingDue()) && !maintenanceAnnounced(s.dir)
}

// maintenanceAnnounced tells whether a live yielding process left lock info.
func maintenanceAnnounced(dir string) bool {
	for _, h := range readHolders(dir) {
		if h.Yields {
			return true
		}
	}
	return false
}

// Compact is the background maintenance: it opens the store read-write
// (waiting for other processes as Open does), merges level 0 into the base
// level in one bounded step, then lets Badger's compactors bring deeper
// levels under their targets, a bounded step at a time. It gives way to
// users: its lock info says it yields, and an Open that finds it holding
// the store stops it (see yielder); cancelling ctx (the SIGTERM that
// Open sends) closes the store after the running step. Every finished step
// is recorded in Badger's MANIFEST, so a later run continues from there,
// and a run killed at any instant leaves a store the next open repairs.
// The pages of the tables it reads and writes leave its resident memory as
// it goes (reclaimWhileCompacting), Badger's Open and Close included.
func Compact(ctx context.Context, opts Options) error {
	opts.ReadOnly, opts.DeferCompaction, opts.yields = false, true, true
	opts.l0Step = true
	defer reclaimWhileCompacting(opts.Dir)()
	s, err := Open(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil // asked to stop before it began
		}
		return err
	}
	deeper := s.deeperDue(true) || s.l0Left() > 0
	if err := s.Close(); err != nil {
		return fmt.Errorf("compact store %s: %w", s.dir, err)
	}
	if !deeper || ctx.Err() != nil {
		return nil
	}
	opts.l0Step, opts.compactors = false, true
	s, err = Open(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	s.waitForCompactors(ctx)
	if err := s.Close(); err != nil {
		return fmt.Errorf("compact store %s: %w", s.dir, err)
	}
	return nil
}

// waitForCompactors lets Badger's compactors run until no level is over its
// target, ctx is cancelled or compactBudget has passed. Close then waits for
// the step under way.
func (s *Store) waitForCompactors(ctx context.Context) {
	deadline := time.NewTimer(compactBudget)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for s.deeperDue(false) || s.l0Tables() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}
