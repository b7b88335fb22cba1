package exchange

import (
	"context"
	"errors"
	"io"
	"time"

	"promptbench/storage"
	"promptbench/workspace"
)

// ImportOptions change how Import merges.
type ImportOptions struct {
	DryRun bool                    // compute and return the plan, change nothing
	Theirs bool                    // on a label conflict take the file's label, not the local one
	Limits *workspace.ImportLimits // nil: DefaultImportLimits
	// RedactSecrets imports log entries and runs with each word that
	// looks like an API key replaced by [redacted] instead of refusing
	// the file; OnRedact, when set, hears of every field changed.
	RedactSecrets bool
	OnRedact      func(workspace.SecretFinding)
	// Replay records the file's changes (label moves, its audit trail)
	// but not the import itself: a merge builds a library from files and
	// must not add events of its own.
	Replay bool
	// SkipPrompts leaves those prompts of the file out (with their log
	// entries), SkipLabels those labels of a prompt: what a merge found
	// deleted on the other side.
	SkipPrompts map[string]bool
	SkipLabels  map[string]map[string]bool
}

// ImportPlan is what an import does (or, with DryRun, would do).
type ImportPlan struct {
	File       string
	NewPrompts []string
	// NewVersions lists the first PlannedVersionsListed new versions, in
	// file order; NewVersionCount counts them all. (A file may add a
	// million versions: listing them all would cost more memory than the
	// import itself.)
	NewVersions     []PlannedVersion
	NewVersionCount int
	Skipped         int // versions already here
	Divergences     []Divergence
	Labels          []PlannedLabel
	Logs, Runs      int // new log entries and runs
	// Experiments names the experiments added or, with --theirs,
	// replaced by the file's.
	Experiments []string
	Audit       int // new audit events from the file's audit section
	Warnings    []string
	Applied     bool // false for a dry run and for a plan with nothing to do
}

// Changes tells whether the plan changes anything.
func (p ImportPlan) Changes() bool {
	if p.NewVersionCount > 0 || p.Logs > 0 || p.Runs > 0 || len(p.Experiments) > 0 || p.Audit > 0 {
		return true
	}
	for _, l := range p.Labels {
		if l.Action != LabelActionKeep {
			return true
		}
	}
	return false
}

// PlannedVersionsListed is how many new versions an ImportPlan lists.
const PlannedVersionsListed = 1000

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

// Import merges an export file, read from r, into the workspace by
// content: versions already here (same hash, author and time) are skipped,
// new ones appended with their original metadata; when both sides added
// versions after a common one, both lines are kept and reported. Labels
// follow the file when it moved them on from ours; when both moved, ours
// stay unless opts.Theirs.
//
// The file is read a piece at a time (a prompt's header, then each of its
// versions, each log entry, each run) and merged as it is read, keeping
// only the plan and the encoded new records, which go to a temporary file
// in the workspace once they outgrow memory: memory stays bounded whatever
// the file's size. Whatever breaks a limit (see ImportLimits) is refused
// where it is read. The whole file is read and checked, and the plan
// computed, before anything is written: any error in the file changes
// nothing. The writes go in batches under a journal, so that an import
// interrupted by a crash is rolled back by the next process that opens the
// workspace.
func Import(ctx context.Context, ws *workspace.Workspace, name string, r io.Reader, o ImportOptions) (ImportPlan, error) {
	return importWith(ctx, ws, name, o, func(tx *storage.Tx, lim workspace.ImportLimits) (*importer, error) {
		return readImport(ctx, ws, tx, name, r, o, lim)
	})
}

// importWith is Import with the reading of the file(s) left to read.
func importWith(ctx context.Context, ws *workspace.Workspace, name string, o ImportOptions, read func(*storage.Tx, workspace.ImportLimits) (*importer, error)) (ImportPlan, error) {
	lim := workspace.DefaultImportLimits()
	if o.Limits != nil {
		lim = *o.Limits
	}
	var plan ImportPlan
	due, err := ws.BulkWrite(ctx, func(st *storage.Store) error {
		var im *importer
		err := st.View(func(tx *storage.Tx) error {
			var err error
			im, err = read(tx, lim)
			return err
		})
		if im != nil {
			defer im.spill.close()
			defer im.m.auditSpill.close()
		}
		if err != nil {
			return err
		}
		m := im.m
		m.plan.File = name
		plan = m.plan
		if o.DryRun || !m.plan.Changes() {
			return nil
		}
		if err := m.apply(st, im.spill, ws.Author(), ws.Now().UTC(), o.Replay); err != nil {
			return err
		}
		plan = m.plan
		return nil
	})
	if err != nil {
		return ImportPlan{}, err
	}
	if o.DryRun || !plan.Changes() {
		return plan, nil
	}
	plan.Applied = true
	err = ws.Changed(ctx)
	if !o.Replay {
		ws.Notify(ctx, workspace.HookEvent{Event: "import", Action: workspace.AuditImport, Time: ws.Now(), Author: ws.Author(),
			Detail: plan.summary(), After: map[string]any{"file": name, "new_prompts": len(plan.NewPrompts), "new_versions": plan.NewVersionCount,
				"divergences": len(plan.Divergences), "label_changes": len(plan.Labels), "audit_events": plan.Audit}})
	}
	// A large import leaves level 0 full, as updates do; compaction starts
	// after the export file is written, so that the two do not queue.
	ws.StartCompactionIfDue(due)
	return plan, err
}

// readImport reads, checks and plans the whole file. A file in another
// layout than export's is read again whole by the general YAML reader when
// it is small enough.
func readImport(ctx context.Context, ws *workspace.Workspace, tx *storage.Tx, name string, r io.Reader, o ImportOptions, lim workspace.ImportLimits) (*importer, error) {
	lr := newLineReader(name, r, lim)
	dec := pieceDecoder{name: name, lim: lim}
	im := newImporter(ctx, ws, tx, name, o, lim)
	im.pipe = newPipeline()
	err := newSplitter(lr, im, dec).run()
	var le *layoutError
	isLayout := errors.As(err, &le)
	if !isLayout || !lr.keep {
		// The first error in file order wins: pieces still queued come
		// before the one the splitter stopped at.
		if derr := im.pipe.drain(); derr != nil {
			err = derr
		}
	}
	im.pipe.close()
	im.pipe = nil
	if !errors.As(err, &le) {
		if err == nil {
			err = im.finish()
		}
		return im, err
	}
	im.spill.close()
	data, ok, werr := lr.whole()
	switch {
	case werr != nil:
		return nil, werr
	case !ok:
		return nil, workspace.Invalidf("%s:%d: not in the layout `promptbench export` writes (%s); a file in another YAML layout is read only up to %s: export the library again with promptbench export", name, le.line, le.why, workspace.SizeText(int64(lim.OtherLayoutBytes)))
	}
	im = newImporter(ctx, ws, tx, name, o, lim)
	if err := dec.document(im, data, 1, lim.OtherLayoutTokens); err != nil {
		return im, err
	}
	return im, im.finish()
}

// merge is a computed import: the plan to show and the writes to make.
type merge struct {
	plan        ImportPlan
	prompts     []*promptChange
	logs        []logWrite
	runs        []runWrite
	experiments []experimentWrite
	// audit counts the file's audit events the library lacks; their
	// encodings wait in auditSpill (nil for a dry run) until the writes.
	audit      int
	auditSpill *spill
}

type promptChange struct {
	name     string
	prior    []byte // the record before; nil for a new prompt
	record   workspace.Prompt
	versions []int    // the new versions' numbers here; their records are in the spill, in order
	tags     []string // tag index entries to add
	moves    []workspace.AuditEvent
}

// logWrite and runWrite name a record; its value is in the spill.
type logWrite struct {
	prompt string
	number int
	id     string
	run    string // the run the entry belongs to, listed in its index
}

type runWrite struct {
	id string
}
