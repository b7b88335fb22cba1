package storage

// maxL0Tables is how many level-0 tables a read-write open tolerates before
// it compacts them. Each writing process leaves one level-0 table when it
// closes, and Badger's compactors start only after a random delay of up to a
// second, so short commands never compact (notes/badger.md, trap 1).
// Flattening rewrites the whole store (≈0.3 s for 100k versions), so it is
// done rarely: one writing command in 25 pays for it. Reads stay fast with
// that many small tables (bloom filters skip them), and l0Stall keeps Badger
// from stalling writes before the policy acts.
const (
	maxL0Tables = 24
	l0Stall     = 4 * maxL0Tables
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
func (s *Store) compactL0() error {
	if s.l0Tables() <= maxL0Tables {
		return nil
	}
	return s.db.Flatten(1)
}
