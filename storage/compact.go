package storage

import (
	"context"
	"fmt"
)

// maxL0Tables is how many level-0 tables a store may gather before it is
// compacted. Each writing process leaves one level-0 table when it closes,
// and Badger's compactors start only after a random delay of up to a second,
// so short commands never compact (notes/badger.md, trap 1); every read
// then consults each table, and a show of one prompt gets half again
// slower at a dozen. Flattening rewrites the whole store (≈0.3 s for 100k
// versions), which is why the command line runs it in a background process
// (Options.DeferCompaction, Compact); hardL0Limit is the fallback, and
// l0Stall keeps Badger from stalling writes before either acts.
const (
	maxL0Tables = 8
	hardL0Limit = 6 * maxL0Tables
	l0Stall     = 2 * hardL0Limit
)

// l0Tables counts the store's level-0 tables.
func (s *Store) l0Tables() int {
	for _, l := range s.db.Levels() {
		if l.Level == 0 {
			return l.NumTables
		}
	}
	return 0
}

// compactL0 merges level 0 into the levels below when too many tables piled
// up. It runs on open, so one command in maxL0Tables pays for it instead of
// every command paying for WithCompactL0OnClose.
func (s *Store) compactL0(deferred bool) error {
	limit := maxL0Tables
	if deferred {
		limit = hardL0Limit
	}
	if s.l0Tables() <= limit {
		return nil
	}
	return s.db.Flatten(1)
}

// CompactionDue tells a read-write store's owner, before Close, that level 0
// has grown enough for Compact to be worth running after it.
func (s *Store) CompactionDue() bool {
	return !s.readOnly && s.l0Tables()+1 >= maxL0Tables
}

// Compact opens the store read-write (waiting for other processes as Open
// does), merges level 0 into the levels below, and closes it.
func Compact(ctx context.Context, opts Options) error {
	opts.ReadOnly, opts.DeferCompaction = false, true
	s, err := Open(ctx, opts)
	if err != nil {
		return err
	}
	if s.l0Tables() > 1 {
		if err := guarded(func() error { return s.db.Flatten(1) }); err != nil {
			s.Close()
			return fmt.Errorf("compact store %s: %w", s.dir, cleanErr(err))
		}
	}
	return s.Close()
}
