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
)

// versions checks every version on its own (inspectVersion, in parallel)
// and gathers, in key order, what the prompt-level checks compare against.
func (c *checker) versions() error {
	return inspectVersions(c.ctx, c.tx, func(f versionFinding) {
		c.counts.Versions++
		pc := c.prompt(f.name)
		pc.numbers = append(pc.numbers, f.n)
		if f.rehash != nil {
			f.rehash.problem += len(c.problems)
			if pc.rehash == nil {
				pc.rehash = map[int]*rehash{}
			}
			pc.rehash[f.n] = f.rehash
		}
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
	rehash   *rehash // set for content an older binary committed with invalid UTF-8
}

// rehash is the repair of a version an older binary committed with invalid
// UTF-8: its hash becomes the hash of the text as stored. problem indexes
// the finding's problem, then the checker's.
type rehash struct {
	old, new string
	problem  int
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
	v, err := DecodeVersion(name, n, val)
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
	// A later version without a parent starts a line an import merged in
	// with no version in common with ours.
	if (n == 1 && v.Parent != 0) || (n > 1 && (v.Parent < 0 || v.Parent >= n)) {
		add(with(at, ProblemVersionParent, "parent", "", strconv.Itoa(v.Parent)))
	}
	if sum := ContentHash(v.Messages, v.Config); sum != v.Hash {
		if field, off, ok := replacedUTF8(v); ok {
			p := with(at, ProblemInvalidUTF8, field, sum, strconv.Itoa(off))
			p.Repairable, p.fix = true, fixLegacyHash(name, n, v.Hash, sum)
			f.rehash = &rehash{old: v.Hash, new: sum, problem: len(f.problems)}
			add(p)
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
			return nil, nil, Invalidf("messages[%d] (%s): %v", i, m.Role, strings.TrimPrefix(one.err.Error(), "messages[0] ("+m.Role+"): "))
		}
		vars = append(vars, one.vars...)
		partials = append(partials, one.partials...)
	}
	slices.Sort(vars)
	slices.Sort(partials)
	return slices.Compact(vars), slices.Compact(partials), nil
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
