package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"promptbench/storage"
)

// ImportOptions change how Import merges.
type ImportOptions struct {
	DryRun bool // compute and return the plan, change nothing
	Theirs bool // on a label conflict take the file's label, not the local one
	// RedactSecrets imports log entries and runs with each word that
	// looks like an API key replaced by [redacted] instead of refusing
	// the file; OnRedact, when set, hears of every field changed.
	RedactSecrets bool
	OnRedact      func(SecretFinding)
}

// ImportPlan is what an import does (or, with DryRun, would do).
type ImportPlan struct {
	File        string
	NewPrompts  []string
	NewVersions []PlannedVersion
	Skipped     int // versions already here
	Divergences []Divergence
	Labels      []PlannedLabel
	Logs, Runs  int // new log entries and runs
	Warnings    []string
	Applied     bool // false for a dry run and for a plan with nothing to do
}

// Changes tells whether the plan changes anything.
func (p ImportPlan) Changes() bool {
	if len(p.NewVersions) > 0 || p.Logs > 0 || p.Runs > 0 {
		return true
	}
	for _, l := range p.Labels {
		if l.Action != LabelActionKeep {
			return true
		}
	}
	return false
}

// PlannedVersion is a version the import appends, in local numbering.
type PlannedVersion struct {
	Prompt     string
	Number     int // here
	FileNumber int // in the file
	Parent     int // here
	Hash       string
	Author     string
	Time       time.Time
	Message    string
}

// Divergence is a prompt to which both sides added versions after a common
// one (Base; 0 when they share none): both lines are kept, the imported one
// numbered after the local one.
type Divergence struct {
	Prompt string
	Base   int
	Local  []int
	Theirs []int
}

// Label actions of an import.
const (
	LabelActionNew    = "new"    // the label did not exist here
	LabelActionMove   = "move"   // the file's label moved on from ours: follow it
	LabelActionTheirs = "theirs" // both moved; --theirs takes the file's
	LabelActionKeep   = "keep"   // both moved; the local label stays
)

// PlannedLabel is a label the import sets, or a conflict it leaves.
type PlannedLabel struct {
	Prompt string
	Label  string
	From   int // here before; 0 when new
	To     int // the file's version, in local numbering
	Action string
}

// Import merges an export file into the workspace by content: versions
// already here (same hash, author and time) are skipped, new ones appended
// with their original metadata; when both sides added versions after a
// common one, both lines are kept and reported. Labels follow the file when
// it moved them on from ours; when both moved, ours stay unless
// opts.Theirs. The whole file is read and checked, and the plan computed,
// before anything is written: any error in the file changes nothing. The
// writes go in batches under a journal, so that an import interrupted by a
// crash is rolled back by the next process that opens the workspace.
//
// Import reads data in place, without a copy (export files run to tens of
// megabytes): data must not change while Import runs, and the strings of
// the returned plan share its memory.
func (ws *Workspace) Import(ctx context.Context, name string, data []byte, o ImportOptions) (ImportPlan, error) {
	pf, err := parseExport(name, data)
	if err != nil {
		return ImportPlan{}, err
	}
	if err := screenFileSecrets(pf, data, o, ws.redactor); err != nil {
		return ImportPlan{}, err
	}
	opts := ws.storeOptions(false)
	opts.Bulk = true
	st, err := ws.open(ctx, opts)
	if err != nil {
		return ImportPlan{}, err
	}
	defer st.Close()
	if err := recoverInterrupted(st.Store); err != nil {
		return ImportPlan{}, err
	}
	var m *merge
	err = st.View(func(tx *storage.Tx) error {
		m, err = ws.planImport(tx, pf, o)
		return err
	})
	if err != nil {
		return ImportPlan{}, err
	}
	m.plan.File = name
	if o.DryRun || !m.plan.Changes() {
		return m.plan, nil
	}
	if err := m.apply(st.Store, ws.opts.Author(), ws.opts.Now().UTC()); err != nil {
		return ImportPlan{}, err
	}
	due := st.CompactionDue()
	if err := st.Close(); err != nil {
		return ImportPlan{}, err
	}
	m.plan.Applied = true
	err = ws.syncExportFile(ctx)
	// A large import leaves level 0 full, as updates do; compaction starts
	// after the export file is written, so that the two do not queue.
	if due && ws.opts.Maintain != nil {
		ws.opts.Maintain(ws.Dir)
	}
	return m.plan, err
}

// merge is a computed import: the plan to show and the writes to make.
type merge struct {
	plan    ImportPlan
	prompts []*promptChange
	logs    []logWrite
	runs    []runWrite
}

type promptChange struct {
	name     string
	prior    []byte // the record before; nil for a new prompt
	record   Prompt
	versions []*Version // the parsed versions, renumbered in place
	tags     []string   // tag index entries to add
	moves    []AuditEvent
}

type logWrite struct {
	prompt string
	number int
	id     string
	val    []byte
}

type runWrite struct {
	id  string
	val []byte
}

func (ws *Workspace) planImport(tx *storage.Tx, pf *parsedFile, o ImportOptions) (*merge, error) {
	m := &merge{}
	mappings := map[string]map[int]int{}
	labelled := map[string]bool{}
	for _, fp := range pf.prompts {
		if len(fp.labels) > 0 {
			labelled[fp.name] = true
		}
	}
	history, err := labelHistory(tx, labelled)
	if err != nil {
		return nil, err
	}
	author := ws.opts.Author()
	now := ws.opts.Now().UTC()
	total := 0
	for _, fp := range pf.prompts {
		total += len(fp.versions)
	}
	m.plan.NewVersions = make([]PlannedVersion, 0, total)
	for _, fp := range pf.prompts {
		pc, mapping, err := ws.planPrompt(tx, &m.plan, fp, history[fp.name], o, author, now)
		if err != nil {
			return nil, err
		}
		mappings[fp.name] = mapping
		if pc != nil {
			m.prompts = append(m.prompts, pc)
		}
	}
	for _, l := range pf.logs {
		n := mappings[l.Prompt][l.Version]
		if _, err := tx.GetLog(l.Prompt, n, l.ID); err == nil {
			continue
		} else if !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
		if entry, ok := l.Entry.(map[string]any); ok {
			if _, ok := entry["version"]; ok {
				entry["version"] = n // the entry's own copy of the number follows renumbering
			}
		}
		val, err := json.Marshal(l.Entry)
		if err != nil {
			return nil, invalidf("%s: log %s of %s@%d: %v", pf.name, l.ID, l.Prompt, l.Version, err)
		}
		m.logs = append(m.logs, logWrite{l.Prompt, n, l.ID, val})
	}
	for _, r := range pf.runs {
		if _, err := tx.GetRun(r.ID); err == nil {
			continue
		} else if !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
		val, err := json.Marshal(r.Entry)
		if err != nil {
			return nil, invalidf("%s: run %s: %v", pf.name, r.ID, err)
		}
		m.runs = append(m.runs, runWrite{r.ID, val})
	}
	m.plan.Logs, m.plan.Runs = len(m.logs), len(m.runs)
	if pf.taxonomy != nil {
		for facet := range pf.taxonomy.Facets {
			if _, ok := ws.Config.Taxonomy.Facets[facet]; !ok && len(ws.Config.Taxonomy.Facets) > 0 {
				m.plan.Warnings = append(m.plan.Warnings, fmt.Sprintf("the file declares facet %q, which config.yaml does not", facet))
			}
		}
		slices.Sort(m.plan.Warnings)
	}
	return m, nil
}

// planPrompt merges one prompt; it returns nil when nothing changes, and
// the map from the file's version numbers to local ones.
func (ws *Workspace) planPrompt(tx *storage.Tx, plan *ImportPlan, fp parsedPrompt, moves labelMoves, o ImportOptions, author string, now time.Time) (*promptChange, map[int]int, error) {
	pc := &promptChange{name: fp.name}
	local, err := getPrompt(tx, fp.name)
	isNew := errors.Is(err, ErrNotFound)
	switch {
	case isNew:
		local = Prompt{Name: fp.name, Created: fp.created, Description: fp.description}
		plan.NewPrompts = append(plan.NewPrompts, fp.name)
	case err != nil:
		return nil, nil, err
	default:
		if pc.prior, err = tx.GetPrompt(fp.name); err != nil {
			return nil, nil, err
		}
	}
	byID := map[string]int{}
	hashes := map[int]string{}
	if !isNew {
		err := tx.ScanVersions(fp.name, func(n int, b []byte) error {
			if n > local.Latest {
				return nil
			}
			v, err := decodeVersion(fp.name, n, b)
			if err != nil {
				return err
			}
			byID[versionID(v)] = n
			hashes[n] = v.Hash
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	rec := local
	rec.Labels = maps.Clone(local.Labels)
	rec.Tags = slices.Clone(local.Tags)
	mapping := make(map[int]int, len(fp.versions))
	lineOf := map[int]int{} // new local number -> index in plan.Divergences, -1 for none
	next := local.Latest + 1
	for i := range fp.versions {
		v := &fp.versions[i]
		if n, ok := byID[versionID(*v)]; ok {
			mapping[v.Number] = n
			plan.Skipped++
			continue
		}
		fileNumber := v.Number
		v.Number, v.Parent = next, mapping[v.Parent]
		next++
		mapping[fileNumber] = v.Number
		hashes[v.Number] = v.Hash
		pc.versions = append(pc.versions, v)
		plan.NewVersions = append(plan.NewVersions, PlannedVersion{
			Prompt: fp.name, Number: v.Number, FileNumber: fileNumber, Parent: v.Parent,
			Hash: v.Hash, Author: v.Author, Time: v.Time, Message: v.Message,
		})
		d, onNewLine := lineOf[v.Parent]
		switch {
		case onNewLine:
			lineOf[v.Number] = d
			if d >= 0 {
				plan.Divergences[d].Theirs = append(plan.Divergences[d].Theirs, v.Number)
			}
		case v.Parent == local.Latest:
			lineOf[v.Number] = -1 // continues the local line
		default:
			div := Divergence{Prompt: fp.name, Base: v.Parent, Theirs: []int{v.Number}}
			for n := v.Parent + 1; n <= local.Latest; n++ {
				div.Local = append(div.Local, n)
			}
			plan.Divergences = append(plan.Divergences, div)
			lineOf[v.Number] = len(plan.Divergences) - 1
		}
	}
	changed := isNew || len(pc.versions) > 0
	if len(pc.versions) > 0 {
		last := pc.versions[len(pc.versions)-1]
		rec.Latest, rec.LatestHash, rec.Model = last.Number, last.Hash, last.Config.Model
		if !isNew && lineOf[last.Number] == -1 && fp.description != "" {
			rec.Description = fp.description
		}
		for _, v := range pc.versions {
			rec.Updated = laterOf(rec.Updated, v.Time)
		}
	}
	if fp.created.Before(rec.Created) {
		rec.Created, changed = fp.created, true
	}
	for _, t := range fp.tags {
		if slices.Contains(rec.Tags, t.String()) {
			continue
		}
		warning, err := ws.Config.Taxonomy.Check(t)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", fp.name, err)
		}
		if warning != "" {
			plan.Warnings = append(plan.Warnings, fp.name+": "+warning)
		}
		rec.Tags = append(rec.Tags, t.String())
		pc.tags = append(pc.tags, t.String())
		changed = true
	}
	slices.Sort(rec.Tags)
	for _, fl := range fp.labels {
		if planLabel(pc, &rec, plan, fl, mapping, hashes, moves[fl.name], o, author, now) {
			changed = true
		}
	}
	if !changed {
		return nil, mapping, nil
	}
	pc.record = rec
	return pc, mapping, nil
}
