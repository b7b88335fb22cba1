package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"promptbench/storage"
	"promptbench/workspace"
)

// importer merges the pieces of an import file as the splitter hands them
// over, against the store as it is (tx), keeping only the plan, what the
// rest of the file needs (each prompt's version numbers, for the logs) and
// the encoded new records (in the spill).
type importer struct {
	ws     *workspace.Workspace
	ctx    context.Context
	tx     *storage.Tx
	name   string
	o      ImportOptions
	lim    workspace.ImportLimits
	author string
	now    time.Time
	m      *merge
	spill  *spill // nil for a dry run

	schemaLine  int
	taxonomy    *workspace.Taxonomy
	prompts     map[string]int       // name -> line
	mapped      map[string]numbering // name -> the local number of each of the file's versions
	versions    int
	logCount    int
	runCount    int
	history     map[string]workspace.LabelMoves // loaded on first need
	everMoved   map[string]workspace.LabelMoves // likewise, removed labels' moves included
	authors     map[string]string               // interned
	cur         *promptState
	vars        templateCache           // for versions decoded on this goroutine
	screen      *workspace.SecretScreen // log entries and runs, for key-looking words
	pipe        *pipeline               // nil: every piece is merged at once
	auditCount  int
	auditIDs    map[string]bool // events the library has, by identity; nil until needed
	auditFolded int             // prompts of m whose label moves are in plannedMoves
	// plannedMoves are the label moves this import makes, by identity.
	plannedMoves map[string]*workspace.AuditEvent
	// The section's renames and its label moves no planned move matched
	// (audit_renamed_moves.go).
	sectionRenames []sectionRename
	sectionMoves   []workspace.AuditEvent
	// renamesInto: when a prompt here last took each name by a rename
	// (audit_kept_here.go); nil until needed.
	renamesInto map[string]time.Time
}

// parsedPrompt is what a prompt's header says, checked.
type parsedPrompt struct {
	name        string
	description string
	tags        []workspace.Tag
}

type parsedLabel struct {
	name    string
	version int
	history []parsedMove
}

type parsedMove struct {
	version int
	author  string
	time    time.Time
}

// promptState is the prompt being read: its header, the local prompt it
// merges into, and the merge so far.
type promptState struct {
	head   exportPrompt
	parsed parsedPrompt
	place  placer
	line   int

	n     int // versions read
	first time.Time
	seen  map[string]int // version id -> file number, for repeats

	local   workspace.Prompt
	isNew   bool
	byID    map[string]int // local versions by id
	hashes  map[int]string // local number -> hash, local and new
	mapping []int          // file number-1 -> local number
	lineOf  map[int]int    // new local number -> index in plan.Divergences, -1 for none
	next    int
	pc      *promptChange
	last    workspace.Version // the last new version's number, hash and model
	updated time.Time
	skip    bool // left out (ImportOptions.SkipPrompts)
}

func newImporter(ctx context.Context, ws *workspace.Workspace, tx *storage.Tx, name string, o ImportOptions, lim workspace.ImportLimits) *importer {
	im := &importer{
		ws: ws, ctx: ctx, tx: tx, name: name, o: o, lim: lim,
		author: ws.Author(), now: ws.Now().UTC(),
		m:       &merge{},
		prompts: map[string]int{}, mapped: map[string]numbering{}, authors: map[string]string{},
	}
	if !o.DryRun {
		im.spill = &spill{dir: ws.Dir, after: lim.SpillAfter}
	}
	im.screen = workspace.NewSecretScreen(o.RedactSecrets, o.OnRedact)
	return im
}

// queue merges a piece in file order: at once, or through the pipeline.
func (im *importer) queue(run func() error, job *importJob, size int) error {
	if im.pipe == nil {
		if job != nil {
			job.work(&im.vars)
		}
		return run()
	}
	return im.pipe.push(run, job, size)
}

// drain merges every piece queued.
func (im *importer) drain() error {
	if im.pipe == nil {
		return nil
	}
	return im.pipe.drain()
}

func (im *importer) schema(s string, line int) error {
	if s != Schema {
		return workspace.Invalidf("%s:%d: schema %q is not %s, the format this promptbench reads", im.name, line, s, Schema)
	}
	im.schemaLine = max(line, 1)
	return nil
}

func (im *importer) intern(s string) string {
	if v, ok := im.authors[s]; ok {
		return v
	}
	v := strings.Clone(s)
	if len(im.authors) < 10_000 {
		im.authors[v] = v
	}
	return v
}

func (im *importer) beginPrompt(fp exportPrompt, line int, place placer) error {
	if err := im.ctx.Err(); err != nil {
		return err
	}
	if im.schemaLine == 0 {
		return workspace.Invalidf("%s:1: missing schema; an export file starts with `schema: %s`", im.name, Schema)
	}
	if len(im.prompts) >= im.lim.Prompts {
		return workspace.Invalidf("%s:%d: more than %d prompts; an import file holds at most %d: split the library into several exports (by name or tag)", im.name, line, im.lim.Prompts, im.lim.Prompts)
	}
	p, ferr := validateHead(fp, im.lim)
	if ferr != nil {
		return place(ferr)
	}
	if prev, dup := im.prompts[p.name]; dup {
		return workspace.Invalidf("%s:%d: prompt %q appears twice (first on line %d); each prompt appears once in an export file", im.name, line, p.name, prev)
	}
	p.name = strings.Clone(p.name)
	p.description = strings.Clone(p.description)
	im.prompts[p.name] = line
	ps := &promptState{head: fp, parsed: p, place: place, line: line, seen: map[string]int{},
		byID: map[string]int{}, hashes: map[int]string{}, lineOf: map[int]int{}}
	ps.pc = &promptChange{name: p.name}
	if im.o.SkipPrompts[p.name] {
		ps.skip = true
		im.cur = ps
		return nil
	}
	local, err := workspace.GetPrompt(im.tx, p.name)
	ps.isNew = errors.Is(err, workspace.ErrNotFound)
	switch {
	case ps.isNew:
		local = workspace.Prompt{Name: p.name, Description: p.description}
	case err != nil:
		return err
	default:
		if ps.pc.prior, err = im.tx.GetPrompt(p.name); err != nil {
			return err
		}
		err := im.tx.ScanVersions(p.name, func(n int, b []byte) error {
			if n > local.Latest {
				return nil
			}
			v, err := workspace.DecodeVersion(p.name, n, b)
			if err != nil {
				return err
			}
			ps.byID[versionID(v)] = n
			ps.hashes[n] = v.Hash
			return nil
		})
		if err != nil {
			return err
		}
	}
	ps.local, ps.next = local, local.Latest+1
	im.cur = ps
	return nil
}

// version merges the prompt's next version, decoded already.
func (im *importer) version(fv fileVersion, place placer) error {
	return im.planVersion(checkVersion(im.cur.parsed.name, im.cur.n, fv, place, &im.vars, im.lim, im.spill != nil))
}

// planVersion merges the prompt's next version, decoded and checked.
func (im *importer) planVersion(res versionResult) error {
	ps := im.cur
	if ps.skip {
		return nil
	}
	i := ps.n
	switch {
	case res.err != nil:
		return res.err
	case i >= im.lim.PromptVersions:
		return res.place(fieldErrorf("", "prompt %s has more than %d versions, the most an import file may hold for one prompt", ps.parsed.name, im.lim.PromptVersions))
	case im.versions >= im.lim.Versions:
		return res.place(fieldErrorf("", "more than %d versions in the file, the most an import file may hold: split the library into several exports", im.lim.Versions))
	case res.ferr != nil:
		return res.place(res.ferr)
	}
	v, id := res.v, res.id
	if prev, dup := ps.seen[id]; dup {
		return res.place(fieldErrorf("", "version %d repeats version %d (same hash, author and time)", v.Number, prev))
	}
	ps.seen[id] = v.Number
	ps.n++
	im.versions++
	if i == 0 {
		ps.first = v.Time
	}
	if n, ok := ps.byID[id]; ok {
		ps.mapping = append(ps.mapping, n)
		im.m.plan.Skipped++
		return nil
	}
	fileNumber, fileParent := v.Number, v.Parent
	if v.Parent > 0 {
		v.Parent = ps.mapping[v.Parent-1]
	}
	v.Number = ps.next
	ps.next++
	ps.mapping = append(ps.mapping, v.Number)
	hash := v.Hash // shares the piece's memory: cloned where kept
	if len(ps.head.Labels) > 0 {
		hash = strings.Clone(hash)
		ps.hashes[v.Number] = hash
	}
	plan := &im.m.plan
	plan.NewVersionCount++
	if len(plan.NewVersions) < PlannedVersionsListed {
		plan.NewVersions = append(plan.NewVersions, PlannedVersion{
			Prompt: ps.parsed.name, Number: v.Number, FileNumber: fileNumber, Parent: v.Parent,
			Hash: strings.Clone(hash), Author: im.intern(v.Author), Time: v.Time, Message: strings.Clone(v.Message),
		})
	}
	d, onNewLine := ps.lineOf[v.Parent]
	switch {
	case ps.isNew:
		// A new prompt is one line: nothing diverges.
	case onNewLine:
		ps.lineOf[v.Number] = d
		if d >= 0 {
			plan.Divergences[d].Theirs = append(plan.Divergences[d].Theirs, v.Number)
		}
	case v.Parent == ps.local.Latest:
		ps.lineOf[v.Number] = -1 // continues the local line
	default:
		div := Divergence{Prompt: ps.parsed.name, Base: v.Parent, Theirs: []int{v.Number}}
		for n := v.Parent + 1; n <= ps.local.Latest; n++ {
			div.Local = append(div.Local, n)
		}
		plan.Divergences = append(plan.Divergences, div)
		ps.lineOf[v.Number] = len(plan.Divergences) - 1
	}
	ps.pc.versions = append(ps.pc.versions, v.Number)
	ps.last = workspace.Version{Number: v.Number, Hash: hash, Config: workspace.ModelConfig{Model: v.Config.Model}}
	ps.updated = laterOf(ps.updated, v.Time)
	if im.spill == nil {
		return nil
	}
	val := res.val
	if v.Number != fileNumber || v.Parent != fileParent {
		var err error
		if val, err = json.Marshal(v); err != nil {
			return fmt.Errorf("encode %s@%d: %w", v.Prompt, v.Number, err)
		}
	}
	return im.spill.add(val)
}

// endPrompt checks what needed all the prompt's versions (labels) and
// completes its merge.
func (im *importer) endPrompt() error {
	ps := im.cur
	im.cur = nil
	if ps.skip {
		return nil
	}
	if ps.n == 0 {
		return ps.place(fieldErrorf(".versions", "prompt %s has no versions; every prompt has at least one", ps.parsed.name))
	}
	created, labels, ferr := validateTail(ps.head, ps.n, ps.first, im.lim)
	if ferr != nil {
		return ps.place(ferr)
	}
	im.mapped[ps.parsed.name] = compactMapping(ps.mapping)
	plan := &im.m.plan
	pc, rec := ps.pc, ps.local
	rec.Labels = maps.Clone(ps.local.Labels)
	rec.Tags = slices.Clone(ps.local.Tags)
	if ps.isNew {
		rec.Created = created
		plan.NewPrompts = append(plan.NewPrompts, ps.parsed.name)
	}
	changed := ps.isNew || len(pc.versions) > 0
	if len(pc.versions) > 0 {
		rec.Latest, rec.LatestHash, rec.Model = ps.last.Number, strings.Clone(ps.last.Hash), strings.Clone(ps.last.Config.Model)
		if !ps.isNew && ps.lineOf[ps.last.Number] == -1 && ps.parsed.description != "" {
			rec.Description = ps.parsed.description
		}
		rec.Updated = laterOf(rec.Updated, ps.updated)
	}
	if created.Before(rec.Created) {
		rec.Created, changed = created, true
	}
	for _, t := range ps.parsed.tags {
		if slices.Contains(rec.Tags, t.String()) {
			continue
		}
		warning, err := im.ws.Config.Taxonomy.Check(t)
		if err != nil {
			return fmt.Errorf("%s: %w", ps.parsed.name, err)
		}
		if warning != "" {
			plan.Warnings = append(plan.Warnings, ps.parsed.name+": "+warning)
		}
		rec.Tags = append(rec.Tags, t.String())
		pc.tags = append(pc.tags, t.String())
		changed = true
	}
	slices.Sort(rec.Tags)
	if len(labels) > 0 {
		moves, err := im.labelMoves(ps)
		if err != nil {
			return err
		}
		ever, err := im.everMoves(ps)
		if err != nil {
			return err
		}
		mapping := func(n int) int { return ps.mapping[n-1] }
		for _, fl := range labels {
			if im.o.SkipLabels[ps.parsed.name][fl.name] {
				continue
			}
			if planLabel(pc, &rec, plan, fl, mapping, ps.hashes, moves[fl.name], ever[fl.name], im.o, im.author, im.now) {
				changed = true
			}
		}
	}
	if changed {
		pc.record = rec
		im.m.prompts = append(im.m.prompts, pc)
	}
	return nil
}
