package workspace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
	tx       *storage.Tx
	prompts  map[string]*promptCheck
	runs     map[string]bool
	problems []Problem
	counts   DoctorCounts
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
	// Tags the tag index files under this name, for a record rebuilt from
	// its versions; seen marks the record's tags the index has.
	indexTags []string
	seen      map[string]bool
}

func newChecker(tx *storage.Tx) *checker {
	return &checker{tx: tx, prompts: map[string]*promptCheck{}, runs: map[string]bool{}}
}

func (c *checker) add(p Problem) { c.problems = append(c.problems, p) }

// run makes every check, in an order where each one knows what it needs.
func (c *checker) run() error {
	steps := []func() error{c.strayKeys, c.promptRecords, c.versions, c.tagIndex, c.promptSummaries, c.runRecords, c.logs, c.audit, c.cache}
	for _, step := range steps {
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
		p, err := decodePrompt(name, val)
		if err != nil {
			c.add(Problem{Kind: ProblemPromptUnreadable, Prompt: name, Detail: err.Error()})
			return nil
		}
		pc.readable, pc.rec = true, p
		return nil
	})
}

// versions checks every version on its own (inspectVersion, in parallel)
// and gathers, in key order, what the prompt-level checks compare against.
func (c *checker) versions() error {
	return inspectVersions(c.tx, func(f versionFinding) {
		c.counts.Versions++
		pc := c.prompt(f.name)
		pc.numbers = append(pc.numbers, f.n)
		c.problems = append(c.problems, f.problems...)
		if !f.readable {
			return
		}
		pc.top = f.top
		if len(f.partials) > 0 {
			if pc.include == nil {
				pc.include = map[int][]string{}
			}
			pc.include[f.n] = f.partials
		}
	})
}

// versionFinding is what inspecting one version found: its problems, and
// what the prompt-level checks need of it.
type versionFinding struct {
	name     string
	n        int
	readable bool
	top      Version // number, hash, model and time only
	partials []string
	problems []Problem
}

// inspectVersion checks one version on its own: encoding, key, parent,
// hash, templates and derived variables. It shares nothing but the
// caller's parse cache, so that workers run it side by side.
func inspectVersion(name string, n int, val []byte, cache map[string]parsedOne) versionFinding {
	f := versionFinding{name: name, n: n}
	at := Problem{Prompt: name, Version: n}
	add := func(p Problem) { f.problems = append(f.problems, p) }
	if p, bad := utf8Problem(at, "version record", val); bad {
		add(p)
	}
	v, err := decodeVersion(name, n, val)
	if err != nil {
		at.Kind, at.Detail = ProblemVersionUnreadable, err.Error()
		add(at)
		return f
	}
	f.readable = true
	f.top = Version{Number: n, Hash: v.Hash, Config: ModelConfig{Model: v.Config.Model}, Time: v.Time}
	if v.Prompt != name {
		add(with(at, ProblemVersionMisfiled, "prompt", name, v.Prompt))
	}
	if v.Number != n {
		add(with(at, ProblemVersionMisfiled, "number", strconv.Itoa(n), strconv.Itoa(v.Number)))
	}
	if (n == 1 && v.Parent != 0) || (n > 1 && (v.Parent < 1 || v.Parent >= n)) {
		add(with(at, ProblemVersionParent, "parent", "", strconv.Itoa(v.Parent)))
	}
	if sum := ContentHash(v.Messages, v.Config); sum != v.Hash {
		if field, off, ok := replacedUTF8(v); ok {
			add(with(at, ProblemInvalidUTF8, field, sum, strconv.Itoa(off)))
		} else {
			add(with(at, ProblemHashMismatch, "hash", sum, v.Hash))
		}
	}
	vars, partials, err := parseCached(v.Messages, cache)
	if err != nil {
		p := with(at, ProblemTemplate, "messages", "", "")
		p.Detail = err.Error()
		add(p)
		return f
	}
	f.partials = partials
	if !slices.Equal(vars, v.Variables) && !(len(vars) == 0 && len(v.Variables) == 0) {
		p := with(at, ProblemVariables, "variables", strings.Join(vars, ","), strings.Join(v.Variables, ","))
		p.Repairable, p.fix = true, fixVariables(name, n)
		add(p)
	}
	return f
}

// with fills in a problem about the subject at.
func with(at Problem, kind, field, want, got string) Problem {
	at.Kind, at.Field, at.Want, at.Got = kind, field, want, got
	return at
}

// parsedOne is what parsing one message text gives.
type parsedOne struct {
	vars, partials []string
	err            error
}

// parseCached derives variables and includes as parseMessages does,
// parsing each distinct text once while it stays in the cache.
func parseCached(msgs []Message, cache map[string]parsedOne) (vars, partials []string, err error) {
	for i, m := range msgs {
		one, ok := cache[m.Content]
		if !ok {
			pm, err := parseMessages([]Message{m})
			one = parsedOne{pm.variables, pm.partials, err}
			cache[m.Content] = one
		}
		if one.err != nil {
			return nil, nil, invalidf("messages[%d] (%s): %v", i, m.Role, strings.TrimPrefix(one.err.Error(), "messages[0] ("+m.Role+"): "))
		}
		vars = append(vars, one.vars...)
		partials = append(partials, one.partials...)
	}
	slices.Sort(vars)
	slices.Sort(partials)
	return slices.Compact(vars), slices.Compact(partials), nil
}

// promptSummaries compares each prompt record with its versions, checks
// its labels and the includes of its latest and labelled versions.
func (c *checker) promptSummaries() error {
	for _, pc := range c.sortedPrompts() {
		switch {
		case !pc.hasRec && len(pc.numbers) > 0:
			p := Problem{Kind: ProblemPromptMissing, Prompt: pc.name, Got: strconv.Itoa(len(pc.numbers)), Repairable: true}
			p.fix = fixMissingPrompt(pc.name, pc.indexTags)
			c.add(p)
			continue
		case !pc.readable:
			continue
		case len(pc.numbers) == 0:
			c.add(Problem{Kind: ProblemPromptNoVersions, Prompt: pc.name})
			continue
		}
		c.checkRecord(pc)
		c.checkLabels(pc)
		if err := c.checkIncludes(pc); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) checkRecord(pc *promptCheck) {
	name, rec, top := pc.name, pc.rec, pc.top
	last := pc.numbers[len(pc.numbers)-1]
	for want, i := 1, 0; want <= last; want++ {
		if i < len(pc.numbers) && pc.numbers[i] == want {
			i++
			continue
		}
		c.add(Problem{Kind: ProblemVersionMissing, Prompt: name, Version: want, Want: strconv.Itoa(last)})
	}
	field := func(f, want, got string) {
		if want != got {
			c.add(Problem{Kind: ProblemPromptField, Prompt: name, Field: f, Want: want, Got: got, Repairable: true, fix: fixPromptRecord(name)})
		}
	}
	field("name", name, rec.Name)
	field("latest", strconv.Itoa(last), strconv.Itoa(rec.Latest))
	if top.Number == last {
		// An unreadable latest version says nothing about them.
		field("latest_hash", top.Hash, rec.LatestHash)
		field("model", top.Config.Model, rec.Model)
	}
	field("tags", strings.Join(normalTags(rec.Tags), " "), strings.Join(rec.Tags, " "))
}

// normalTags is tags sorted, without duplicates or empty ones.
func normalTags(tags []string) []string {
	out := slices.DeleteFunc(slices.Clone(tags), func(t string) bool { return t == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

func (c *checker) checkLabels(pc *promptCheck) {
	labels := make([]string, 0, len(pc.rec.Labels))
	for l := range pc.rec.Labels {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	for _, l := range labels {
		c.counts.Labels++
		n := pc.rec.Labels[l]
		if _, ok := slices.BinarySearch(pc.numbers, n); !ok {
			c.add(Problem{Kind: ProblemLabelDangling, Prompt: pc.name, Label: l, Version: n})
		}
	}
}

// checkIncludes resolves the includes of the latest version and of every
// labelled one: the versions renders and runs use.
func (c *checker) checkIncludes(pc *promptCheck) error {
	if len(pc.include) == 0 {
		return nil
	}
	use := map[int][]string{pc.numbers[len(pc.numbers)-1]: nil}
	for l, n := range pc.rec.Labels {
		use[n] = append(use[n], l)
	}
	numbers := make([]int, 0, len(use))
	for n := range use {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	for _, n := range numbers {
		partials := pc.include[n]
		if len(partials) == 0 {
			continue
		}
		c.counts.Includes += len(partials)
		if err := checkIncludes(c.tx, pc.name, partials, false); err != nil {
			labels := use[n]
			slices.Sort(labels)
			c.add(Problem{Kind: ProblemIncludeBroken, Prompt: pc.name, Version: n, Label: strings.Join(labels, ","), Detail: err.Error()})
		}
	}
	return nil
}

// replacedUTF8 recognises a version committed with invalid UTF-8 by an
// older binary: the JSON encoder hashed each invalid byte as the escape
// \ufffd but stored a literal U+FFFD, so the content hashes differently now,
// and the original bytes are gone. It returns the first message holding a
// replacement character and its byte offset when the hash of the content,
// encoded as the old commit encoded it, is the recorded one.
func replacedUTF8(v Version) (field string, offset int, ok bool) {
	legacy := bytes.ReplaceAll(contentEncoding(v.Messages, v.Config), []byte("\uFFFD"), []byte(`\ufffd`))
	sum := sha256.Sum256(legacy)
	if hex.EncodeToString(sum[:]) != v.Hash {
		return "", 0, false
	}
	for i, m := range v.Messages {
		if off := strings.IndexRune(m.Content, utf8.RuneError); off >= 0 {
			return fmt.Sprintf("messages[%d]", i), off, true
		}
	}
	return "model config", 0, true
}
