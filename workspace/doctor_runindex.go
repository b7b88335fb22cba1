package workspace

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"hash/maphash"
	"maps"
	"slices"
	"strings"

	"promptbench/storage"
)

// The run index (storage/tx_runlogs.go) lists each log entry of an
// evaluation run under the run, so that `report` and `--resume` read a
// run's entries and nothing else. A key whose entry is gone (left by a
// rename, delete or rolled-back import of an older promptbench) is passed
// over by its readers, but each one costs a lookup for every report of the
// run, and they pile up; an entry of an indexed run that its index does
// not list is left out of the run's report and resumed again.
const (
	ProblemRunIndexDangling = "run-index-dangling" // run index keys naming log entries that are not in the store
	ProblemRunIndexMissing  = "run-index-missing"  // log entries of an indexed run that its index does not list
)

// runIndexSum sums a hash of each (run, prompt, version, id). For the runs
// recorded with their index, the keys and the entries agree exactly when
// their sums do: a check of 100,000 entries then looks nothing up (a
// lookup each way doubled doctor's time), and only a difference makes it
// look each key and entry up to say which disagree.
type runIndexSum struct {
	seed maphash.Seed
	n    int
	sum  uint64
}

func (s *runIndexSum) add(run, name string, n int, id string) {
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(run)
	h.WriteByte(0)
	h.WriteString(name)
	h.WriteByte(0)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
	h.WriteString(id)
	s.n++
	s.sum += h.Sum64()
}

// noteRunEntry adds an entry of a run recorded with its index to the sum
// runIndex compares the keys with.
func (c *checker) noteRunEntry(run RunID, name string, n int, id string) {
	if run != "" && c.indexedRuns[string(run)] {
		c.listed.add(string(run), name, n, id)
	}
}

// runIndexGroup gathers the keys of one run and prompt with one problem.
type runIndexGroup struct {
	run, prompt string
	fixes       []func(*storage.Tx) error
}

func (g *runIndexGroup) problem(kind string) Problem {
	n := len(g.fixes)
	return Problem{Kind: kind, ID: g.run, Prompt: g.prompt, Count: n, Repairable: true, fix: g.fixes[n-1], before: g.fixes[:n-1]}
}

// danglingKeys groups the keys, met in index order, whose entry is gone.
type danglingKeys struct {
	c   *checker
	cur *runIndexGroup
}

func (d *danglingKeys) check(run, name string, n int, id string) error {
	has, err := d.c.tx.HasLog(name, n, id)
	if err != nil || has {
		return err
	}
	if d.cur == nil || d.cur.run != run || d.cur.prompt != name {
		d.flush()
		d.cur = &runIndexGroup{run: run, prompt: name}
	}
	d.cur.fixes = append(d.cur.fixes, fixDanglingRunLog(run, name, n, id))
	return nil
}

func (d *danglingKeys) flush() {
	if d.cur != nil && len(d.cur.fixes) > 0 {
		d.c.add(d.cur.problem(ProblemRunIndexDangling))
	}
	d.cur = nil
}

// runIndex checks the run index against the log entries: the keys of
// indexed runs by their sum, any other key (of a run recorded without
// its index, or not in the store) by looking its entry up.
func (c *checker) runIndex() error {
	keys := runIndexSum{seed: c.listed.seed}
	others := danglingKeys{c: c}
	err := c.tx.ScanRunLogIndex(func(run, name string, n int, id string) error {
		c.counts.RunIndexEntries++
		if c.indexedRuns[run] {
			keys.add(run, name, n, id)
			return nil
		}
		return others.check(run, name, n, id)
	})
	others.flush()
	if err != nil || (keys.n == c.listed.n && keys.sum == c.listed.sum) {
		return err
	}
	return c.runIndexDisagreements()
}

// runIndexDisagreements looks each key of an indexed run and each entry of
// one up, and reports keys without their entry and entries without their
// key, by run and prompt.
func (c *checker) runIndexDisagreements() error {
	dangling := danglingKeys{c: c}
	err := c.tx.ScanRunLogIndex(func(run, name string, n int, id string) error {
		if !c.indexedRuns[run] {
			return nil // checked already
		}
		return dangling.check(run, name, n, id)
	})
	dangling.flush()
	if err != nil {
		return err
	}
	unlisted := map[[2]string]*runIndexGroup{}
	err = c.tx.ScanAllLogs(func(name string, n int, id string, val []byte) error {
		var e struct {
			Run string `json:"run"`
		}
		if json.Unmarshal(val, &e) != nil || !c.indexedRuns[e.Run] {
			return nil
		}
		has, err := c.tx.HasRunLog(e.Run, name, n, id)
		if err != nil || has {
			return err
		}
		g := unlisted[[2]string{e.Run, name}]
		if g == nil {
			g = &runIndexGroup{run: e.Run, prompt: name}
			unlisted[[2]string{e.Run, name}] = g
		}
		g.fixes = append(g.fixes, fixUnlistedRunLog(e.Run, name, n, id))
		return nil
	})
	groups := slices.SortedFunc(maps.Values(unlisted), func(a, b *runIndexGroup) int {
		return cmp.Or(strings.Compare(a.run, b.run), strings.Compare(a.prompt, b.prompt))
	})
	for _, g := range groups {
		c.add(g.problem(ProblemRunIndexMissing))
	}
	return err
}

// fixDanglingRunLog removes a run index key whose log entry is still not
// in the store when the repair runs.
func fixDanglingRunLog(run, name string, n int, id string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		has, err := tx.HasLog(name, n, id)
		if err != nil || has {
			return err
		}
		return tx.DeleteRunLog(run, name, n, id)
	}
}

// fixUnlistedRunLog lists a log entry under its run, if the entry is still
// there.
func fixUnlistedRunLog(run, name string, n int, id string) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		has, err := tx.HasLog(name, n, id)
		if err != nil || !has {
			return err
		}
		return tx.PutRunLog(run, name, n, id)
	}
}
