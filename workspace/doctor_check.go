package workspace

import (
	"context"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"promptbench/storage"
)

// checker holds what one doctor pass learns about the store. It keeps one
// small record per prompt (never the versions' contents), so that memory
// stays flat in the number of versions.
type checker struct {
	ctx      context.Context // a cancelled check stops between steps
	tx       *storage.Tx
	prompts  map[string]*promptCheck
	runs     map[string]bool
	problems []Problem
	counts   DoctorCounts
	events   auditSum // of the audit events, for auditCopies
	// indexedRuns are the runs whose index lists all their entries;
	// listed sums their entries, for runIndex.
	indexedRuns map[string]bool
	listed      runIndexSum
	// deleted are the prompts the audit trail says were deleted.
	deleted map[string]bool
}

// promptCheck is what the pass knows about one prompt name: its record, if
// any, and a summary of the versions found under it.
type promptCheck struct {
	name     string
	hasRec   bool
	readable bool
	rec      Prompt
	numbers  []int // the versions present, readable or not, ascending
	// Of the highest-numbered readable version: what the record derives
	// from it.
	top     Version
	include map[int][]string // includes of each version that has any
	rehash  map[int]*rehash  // versions with content an older binary let in
	// For a record rebuilt from its versions: the tags the tag index
	// files under this name, and where the audit trail last moved each
	// label. seen marks the record's tags the index has.
	indexTags   []string
	auditLabels map[string]int
	seen        map[string]bool
}

func newChecker(ctx context.Context, tx *storage.Tx) *checker {
	return &checker{ctx: ctx, tx: tx, prompts: map[string]*promptCheck{}, runs: map[string]bool{},
		events: auditSum{seed: maphash.MakeSeed()}, indexedRuns: map[string]bool{}, listed: runIndexSum{seed: maphash.MakeSeed()}, deleted: map[string]bool{}}
}

func (c *checker) add(p Problem) { c.problems = append(c.problems, p) }

// rehashOf returns the pending rehash of a version, if any.
func (c *checker) rehashOf(name string, n int) *rehash {
	if pc := c.prompts[name]; pc != nil {
		return pc.rehash[n]
	}
	return nil
}

// rehashAlso makes the rehash of a version update a record that names its
// old hash first.
func (c *checker) rehashAlso(r *rehash, fix func(*storage.Tx) error) {
	p := &c.problems[r.problem]
	p.before = append(p.before, fix)
}

// run makes every check, in an order where each one knows what it needs.
func (c *checker) run() error {
	steps := []func() error{c.strayKeys, c.promptRecords, c.versions, c.tagIndex, c.audit, c.auditCopies, c.promptSummaries, c.runRecords, c.logs, c.runIndex, c.cache, c.experiments}
	for _, step := range steps {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) prompt(name string) *promptCheck {
	pc := c.prompts[name]
	if pc == nil {
		pc = &promptCheck{name: name}
		c.prompts[name] = pc
	}
	return pc
}

// sortedPrompts lists the prompts in name order, for a stable report.
func (c *checker) sortedPrompts() []*promptCheck {
	names := make([]string, 0, len(c.prompts))
	for n := range c.prompts {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]*promptCheck, len(names))
	for i, n := range names {
		out[i] = c.prompts[n]
	}
	return out
}

// checkUTF8 reports a record holding bytes that are not UTF-8.
func (c *checker) checkUTF8(p Problem, record string, val []byte) {
	if p, bad := utf8Problem(p, record, val); bad {
		c.add(p)
	}
}

// utf8Problem finds bytes that are not UTF-8 in a raw record: the JSON
// decoder replaces them, so the problem shows only here.
func utf8Problem(p Problem, record string, val []byte) (Problem, bool) {
	if utf8.Valid(val) {
		return p, false
	}
	off := 0
	for off < len(val) {
		r, size := utf8.DecodeRune(val[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	p.Kind, p.Field, p.Got = ProblemInvalidUTF8, record, strconv.Itoa(off)
	return p, true
}

func (c *checker) promptRecords() error {
	return c.tx.ScanPrompts("", func(name string, val []byte) error {
		if strings.IndexByte(name, 0) >= 0 {
			return nil // a stray key
		}
		c.counts.Prompts++
		pc := c.prompt(name)
		pc.hasRec = true
		c.checkUTF8(Problem{Prompt: name}, "prompt record", val)
		p, err := DecodePrompt(name, val)
		if err != nil {
			c.add(Problem{Kind: ProblemPromptUnreadable, Prompt: name, Detail: err.Error()})
			return nil
		}
		pc.readable, pc.rec = true, p
		return nil
	})
}
