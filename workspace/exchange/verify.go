package exchange

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"promptbench/workspace"
)

// Offence is one thing verify found wrong in an export file.
type Offence struct {
	File   string
	Prompt string
	Label  string // "" for a version's hash
	Why    string
}

func (o Offence) String() string {
	what := o.Prompt
	if o.Label != "" {
		what += "@" + o.Label
	}
	return fmt.Sprintf("%s: %s: %s", o.File, what, o.Why)
}

// VerifyReport is what verify checked and found.
type VerifyReport struct {
	Prompts, Versions, Protected int
	Offences                     []Offence
}

// verifyDoc is what verify reads of an export file; other sections are
// skipped (a file may carry sections this promptbench does not know).
type verifyDoc struct {
	Schema  string         `yaml:"schema"`
	Prompts []exportPrompt `yaml:"prompts"`
	Audit   []fileAudit    `yaml:"audit"`
}

// Verify checks an export file (or an export folder) against the team
// rules of cfg, as CI does: every version's hash matches its content;
// every protected label points at a version with an approved review for
// exactly that version and label whose approver is not the version's
// author nor the requester, and is an owner where owners are declared;
// and no protected label was moved with --force to a version without
// such an approval. Label moves before cfg's protected_since are not
// checked. The file is read a piece at a time (readForVerify). A file that is not an export
// file is an error (ErrInvalid); offences are the report's.
func Verify(path string, cfg workspace.Config) (VerifyReport, error) {
	files := []string{path}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		rels, err := exportFilesIn(path)
		if err != nil {
			return VerifyReport{}, err
		}
		if len(rels) == 0 {
			return VerifyReport{}, workspace.Invalidf("%s holds no export files (*.yaml starting with schema: %s)", path, Schema)
		}
		files = nil
		for _, rel := range rels {
			files = append(files, filepath.Join(path, rel))
		}
	}
	var rep VerifyReport
	var events []workspace.AuditEvent
	type versionAt struct {
		file   string
		hash   string
		author string
	}
	versions := map[string]map[int]versionAt{}
	type labelAt struct {
		file, prompt, label string
		version             int
		moved               time.Time // its last move; zero when unknown
	}
	since, err := cfg.ProtectedFrom()
	if err != nil {
		return VerifyReport{}, err
	}
	var labels []labelAt
	for _, file := range files {
		shown := file
		data, err := os.ReadFile(file)
		if err != nil {
			return VerifyReport{}, workspace.Invalidf("verify: %v", err)
		}
		if len(data) > workspace.MaxImportSize {
			return VerifyReport{}, workspace.Invalidf("%s is %s; verify reads files of at most %s", shown, workspace.SizeText(int64(len(data))), workspace.SizeText(workspace.MaxImportSize))
		}
		doc, err := readForVerify(shown, data)
		if err != nil {
			return VerifyReport{}, err
		}
		for _, p := range doc.Prompts {
			rep.Prompts++
			byNumber := map[int]versionAt{}
			for _, fv := range p.Versions {
				rep.Versions++
				cfgV, err := fv.ModelConfigYAML.Config()
				if err != nil {
					return VerifyReport{}, workspace.Invalidf("%s: %s@%d: %v", shown, p.Name, fv.Number, err)
				}
				if sum := workspace.ContentHash(fv.Messages, cfgV); sum != fv.Hash {
					rep.Offences = append(rep.Offences, Offence{File: shown, Prompt: fmt.Sprintf("%s@%d", p.Name, fv.Number),
						Why: fmt.Sprintf("hash %.12s does not match the version's content, which hashes to %.12s: it was changed after it was committed", fv.Hash, sum)})
				}
				byNumber[fv.Number] = versionAt{file: shown, hash: fv.Hash, author: fv.Author}
			}
			versions[p.Name] = byNumber
			for _, name := range slices.Sorted(maps.Keys(p.Labels)) {
				l := labelAt{file: shown, prompt: p.Name, label: name, version: p.Labels[name].Version}
				if h := p.Labels[name].History; len(h) > 0 {
					l.moved, _ = time.Parse(time.RFC3339Nano, h[len(h)-1].Time)
				}
				labels = append(labels, l)
			}
		}
		for _, fa := range doc.Audit {
			t, err := time.Parse(time.RFC3339Nano, fa.Time)
			if err != nil {
				return VerifyReport{}, workspace.Invalidf("%s: audit event of %s: time %q is not an RFC 3339 time", shown, fa.Prompt, fa.Time)
			}
			events = append(events, workspace.AuditEvent{Time: t, Author: fa.Author, Action: fa.Action, Prompt: fa.Prompt, Version: fa.Version,
				Label: fa.Label, From: fa.From, RenamedFrom: fa.RenamedFrom, Review: fa.Review, Forced: fa.Forced, Hash: fa.Hash, Detail: fa.Detail})
		}
	}
	slices.SortStableFunc(events, func(a, b workspace.AuditEvent) int { return a.Time.Compare(b.Time) })
	reviews := workspace.ReviewsFrom(events)

	// approval says why no review approves version n of prompt for label,
	// or "" when one does.
	approval := func(prompt, label string, n int) string {
		v, ok := versions[prompt][n]
		if !ok {
			return fmt.Sprintf("version %d is not in the file", n)
		}
		why := "no approved review"
		for _, r := range reviews {
			if r.Prompt != prompt || r.Label != label || r.Hash != v.hash || r.Status != workspace.ReviewApproved {
				continue
			}
			p := workspace.ApprovalProblem(cfg, *r, v.author, r.Reviewer)
			if p == "" {
				return ""
			}
			why = fmt.Sprintf("the approval of review %s does not count: %s", r.ID, p)
		}
		return why
	}
	for _, l := range labels {
		if !cfg.IsProtected(l.prompt, l.label) {
			continue
		}
		rep.Protected++
		if !since.IsZero() && !l.moved.IsZero() && l.moved.Before(since) {
			continue // set before the team protected it
		}
		if why := approval(l.prompt, l.label, l.version); why != "" {
			rep.Offences = append(rep.Offences, Offence{File: l.file, Prompt: l.prompt, Label: l.label,
				Why: fmt.Sprintf("protected label at version %d without a valid approval: %s", l.version, why)})
		}
	}
	for _, ev := range events {
		if ev.Action != workspace.AuditLabel || !ev.Forced || !cfg.IsProtected(ev.Prompt, ev.Label) || ev.Time.Before(since) {
			continue
		}
		if approval(ev.Prompt, ev.Label, ev.Version) == "" {
			continue // approved since
		}
		file := ""
		if vs, ok := versions[ev.Prompt]; ok {
			for _, v := range vs {
				file = v.file
				break
			}
		}
		rep.Offences = append(rep.Offences, Offence{File: file, Prompt: ev.Prompt, Label: ev.Label,
			Why: fmt.Sprintf("forced to version %d by %s at %s, and no approved review covers it", ev.Version, ev.Author, workspace.FormatExportTime(ev.Time))})
	}
	return rep, nil
}
