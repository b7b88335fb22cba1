package exchange

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"promptbench/storage"
	"promptbench/workspace"
)

// The log entries and runs of an import file: checked against the file's
// prompts, screened for keys, renumbered with their versions and encoded
// for the writes.

// screenSecrets screens a log entry or run (base names it, with its line)
// for what looks like an API key: with RedactSecrets the words are
// replaced, else every finding is kept for the refusal at the end, the
// first placed on its own line of text (which starts at line first).
// Values of this workspace's own key variables become their markers
// first, as when an entry is logged here.
func (im *importer) screenSecrets(base workspace.SecretFinding, entry any, text []byte, first int) any {
	had := im.screen.Findings()
	out := im.screen.Entry(base, im.ws.RedactValue(entry))
	if had == 0 && im.screen.Findings() > 0 && text != nil && base.Line >= first {
		im.screen.PlaceFirst(func(word string) int { return first - 1 + lineOfWord(text, base.Line-first+1, word) })
	}
	return out
}

// log merges one log entry, which starts at line; text holds it (from
// line first on), to place a finding.
func (im *importer) log(l fileLog, place placer, line int, text []byte, first int) error {
	im.logCount++
	if im.logCount > im.lim.Logs {
		return place(fieldErrorf("", "more than %d log entries, the most an import file may hold", im.lim.Logs))
	}
	if im.o.SkipPrompts[l.Prompt] {
		return nil
	}
	mapping, ok := im.mapped[l.Prompt]
	if !ok || l.Version < 1 || l.Version > mapping.n {
		return place(fieldErrorf(".version", "%s@%d is not a version in this file", l.Prompt, l.Version))
	}
	if l.ID == "" || strings.IndexByte(l.ID, 0) >= 0 {
		return place(fieldErrorf(".id", "missing or malformed id"))
	}
	l.Entry = im.screenSecrets(workspace.SecretFinding{Prompt: l.Prompt, Version: l.Version, ID: l.ID, Line: line}, l.Entry, text, first)
	n := mapping.local(l.Version)
	if entry, ok := l.Entry.(map[string]any); ok {
		if _, ok := entry["version"]; ok {
			entry["version"] = n // the entry's own copy of the number follows renumbering
		}
	}
	val, err := json.Marshal(l.Entry)
	if err != nil {
		return place(fieldErrorf(".entry", "%v", err))
	}
	if _, err := im.tx.GetLog(l.Prompt, n, l.ID); err == nil {
		return nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	run := ""
	if entry, ok := l.Entry.(map[string]any); ok {
		run, _ = entry["run"].(string)
	}
	im.m.logs = append(im.m.logs, logWrite{prompt: strings.Clone(l.Prompt), number: n, id: strings.Clone(l.ID), run: strings.Clone(run)})
	if im.spill == nil {
		return nil
	}
	return im.spill.add(val)
}

// run merges one run, as log does a log entry.
func (im *importer) run(r fileRun, place placer, line int, text []byte, first int) error {
	im.runCount++
	if im.runCount > im.lim.Runs {
		return place(fieldErrorf("", "more than %d runs, the most an import file may hold", im.lim.Runs))
	}
	if r.ID == "" || strings.IndexByte(r.ID, 0) >= 0 {
		return place(fieldErrorf(".id", "missing or malformed id"))
	}
	r.Entry = im.screenSecrets(workspace.SecretFinding{ID: r.ID, Line: line}, r.Entry, text, first)
	val, err := json.Marshal(r.Entry)
	if err != nil {
		return place(fieldErrorf(".entry", "%v", err))
	}
	if _, err := im.tx.GetRun(r.ID); err == nil {
		return nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	im.m.runs = append(im.m.runs, runWrite{id: strings.Clone(r.ID)})
	if im.spill == nil {
		return nil
	}
	return im.spill.add(val)
}

// numbering maps a prompt's version numbers in the file to those here; m
// is nil when they are the same (a new prompt), the common case.
type numbering struct {
	n int
	m []int
}

func compactMapping(m []int) numbering {
	for i, n := range m {
		if n != i+1 {
			return numbering{n: len(m), m: slices.Clip(m)}
		}
	}
	return numbering{n: len(m)}
}

func (nb numbering) local(fileNumber int) int {
	if nb.m == nil {
		return fileNumber
	}
	return nb.m[fileNumber-1]
}
