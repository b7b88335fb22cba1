package workspace

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"promptbench/storage"
)

// RemoveResult is what deleting a prompt removed.
type RemoveResult struct {
	Prompt    string
	Versions  int
	Logs      int
	Labels    map[string]int
	Includers []Includer // versions of other prompts that include it
}

// RemoveRefusedError is a delete refused because the prompt is in use: it
// carries labels, or the latest or a labelled version of another prompt
// includes it. Remove with force deletes it anyway.
type RemoveRefusedError struct {
	Prompt    string
	Labels    map[string]int
	Includers []Includer // those in use
}

func (e *RemoveRefusedError) Error() string {
	var why []string
	if len(e.Labels) > 0 {
		var ls []string
		for _, l := range slices.Sorted(maps.Keys(e.Labels)) {
			ls = append(ls, fmt.Sprintf("%s→%d", l, e.Labels[l]))
		}
		why = append(why, "it carries the labels "+strings.Join(ls, ", "))
	}
	if len(e.Includers) > 0 {
		var is []string
		for _, i := range e.Includers {
			note := strings.Join(i.Labels, ", ")
			if i.Latest {
				note = strings.TrimSuffix("latest, "+note, ", ")
			}
			is = append(is, fmt.Sprintf("%s@%d (%s)", i.Prompt, i.Version, note))
		}
		why = append(why, "it is included by "+strings.Join(is, ", "))
	}
	return fmt.Sprintf("%s was not deleted: %s", e.Prompt, strings.Join(why, ", and "))
}

// Is makes the refusal an input error.
func (e *RemoveRefusedError) Is(target error) bool { return target == ErrInvalid }

// Remove deletes the prompt name with its versions, tags and log entries;
// the audit trail keeps its history and records the deletion. It refuses
// (RemoveRefusedError) while the prompt carries labels or another prompt's
// latest or labelled version includes it, unless force. Like Rename it
// runs in one transaction when that fits and under a journal otherwise, so
// that a crash leaves the prompt whole or gone.
func (ws *Workspace) Remove(ctx context.Context, name string, force bool) (RemoveResult, error) {
	if err := ValidateName(name); err != nil {
		return RemoveResult{}, err
	}
	author := ws.opts.Author()
	res := RemoveResult{Prompt: name}
	due, err := ws.withWriter(ctx, func(st *storage.Store) error {
		now := ws.clockInTx()
		err := st.View(func(tx *storage.Tx) error {
			p, err := GetPrompt(tx, name)
			if err != nil {
				return err
			}
			res.Versions, res.Labels = p.Latest, p.Labels
			// Applications may be serving a running experiment's
			// versions: stopping it is a decision, not a side effect.
			if exps, err := experimentsOn(tx, name, true); err != nil {
				return err
			} else if len(exps) > 0 {
				return Invalidf("%s has running experiments (%s); stop them first", name, strings.Join(exps, ", "))
			}
			if res.Includers, err = findIncluders(tx, name); err != nil {
				return err
			}
			return tx.ScanLogKeys(name, 0, func(int, string) error { res.Logs++; return nil })
		})
		if err != nil {
			return err
		}
		if !force {
			refused := &RemoveRefusedError{Prompt: name, Labels: res.Labels}
			for _, i := range res.Includers {
				if i.InUse() {
					refused.Includers = append(refused.Includers, i)
				}
			}
			if len(refused.Labels) > 0 || len(refused.Includers) > 0 {
				return refused
			}
		}
		event := AuditEvent{Time: now, Author: author, Action: AuditDelete, Prompt: name, Version: res.Versions}
		err = st.Update(func(tx *storage.Tx) error {
			if err := dropRecord(tx, name, event); err != nil {
				return err
			}
			if err := tx.DeleteVersions(name); err != nil {
				return err
			}
			if err := tx.DeleteLogs(name); err != nil {
				return err
			}
			_, err := tx.DeleteRunLogsOf(name, math.MaxInt)
			return err
		})
		if !errors.Is(err, storage.ErrTxnTooBig) {
			return err
		}
		err = st.Update(func(tx *storage.Tx) error {
			if err := dropRecord(tx, name, event); err != nil {
				return err
			}
			return putPromptOp(tx, promptOp{Op: opDelete, Name: name})
		})
		if err != nil {
			return err
		}
		if err := purgePrompt(st, name); err != nil {
			return err
		}
		return st.Update(func(tx *storage.Tx) error { return tx.DeletePromptOp() })
	})
	if err != nil {
		return RemoveResult{}, err
	}
	err = ws.Changed(ctx)
	ws.maintainIf(due)
	return res, err
}

// dropRecord is the moment of a delete: the prompt record and its tag
// index entries go, and the audit trail records what went.
func dropRecord(tx *storage.Tx, name string, ev AuditEvent) error {
	p, err := GetPrompt(tx, name)
	if err != nil {
		return err
	}
	for _, t := range p.Tags {
		if err := tx.DeleteTag(t, name); err != nil {
			return err
		}
	}
	if err := tx.DeletePrompt(name); err != nil {
		return err
	}
	ev.Detail = fmt.Sprintf("deleted with %d versions (latest %s)", p.Latest, shortHash(p.LatestHash))
	if len(p.Labels) > 0 {
		ev.Detail += "; labels " + p.labelList()
	}
	return AppendAudit(tx, ev)
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
