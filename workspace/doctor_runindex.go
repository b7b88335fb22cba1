package workspace

import (
	"cmp"
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

// runIndexGroup gathers the keys of one run and prompt with one problem.
type runIndexGroup struct {
	run, prompt string
	fixes       []func(*storage.Tx) error
}

func (g *runIndexGroup) problem(kind string) Problem {
	n := len(g.fixes)
	return Problem{Kind: kind, ID: g.run, Prompt: g.prompt, Count: n, Repairable: true, fix: g.fixes[n-1], before: g.fixes[:n-1]}
}

// runIndex checks that every key of the run index names a log entry in
// the store: keys only, one lookup each.
func (c *checker) runIndex() error {
	var cur *runIndexGroup
	flush := func() {
		if cur != nil && len(cur.fixes) > 0 {
			c.add(cur.problem(ProblemRunIndexDangling))
		}
	}
	err := c.tx.ScanRunLogIndex(func(run, name string, n int, id string) error {
		c.counts.RunIndexEntries++
		has, err := c.tx.HasLog(name, n, id)
		if err != nil || has {
			return err
		}
		if cur == nil || cur.run != run || cur.prompt != name {
			flush()
			cur = &runIndexGroup{run: run, prompt: name}
		}
		cur.fixes = append(cur.fixes, fixDanglingRunLog(run, name, n, id))
		return nil
	})
	flush()
	return err
}

// checkRunListed notes an entry of an indexed run that its index does not
// list; the problems are added by runIndexMissing, after every entry.
func (c *checker) checkRunListed(e LogEntry, name string, n int, id string) error {
	if e.Run == "" || !c.indexedRuns[string(e.Run)] {
		return nil
	}
	has, err := c.tx.HasRunLog(string(e.Run), name, n, id)
	if err != nil || has {
		return err
	}
	k := string(e.Run) + "\x00" + name
	g := c.unlisted[k]
	if g == nil {
		g = &runIndexGroup{run: string(e.Run), prompt: name}
		c.unlisted[k] = g
	}
	g.fixes = append(g.fixes, fixUnlistedRunLog(string(e.Run), name, n, id))
	return nil
}

// runIndexMissing reports the entries checkRunListed found, by run and
// prompt.
func (c *checker) runIndexMissing() error {
	groups := slices.Collect(maps.Values(c.unlisted))
	slices.SortFunc(groups, func(a, b *runIndexGroup) int {
		return cmp.Or(strings.Compare(a.run, b.run), strings.Compare(a.prompt, b.prompt))
	})
	for _, g := range groups {
		c.add(g.problem(ProblemRunIndexMissing))
	}
	return nil
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
