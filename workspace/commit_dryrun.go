package workspace

import (
	"context"

	"promptbench/storage"
)

// DryRun is what a commit would make, and the version it would follow.
type DryRun struct {
	CommitResult
	Latest *Version // the prompt's latest version; nil for a new prompt
}

// CommitDryRun checks and builds the commit exactly as Commit would, the
// config inheritance of a text commit included, in a read-only
// transaction: nothing is written.
func (ws *Workspace) CommitDryRun(ctx context.Context, name string, d Draft) (DryRun, error) {
	pc, err := ws.prepareCommit(name, d)
	if err != nil {
		return DryRun{}, err
	}
	author := ws.opts.Author()
	now := ws.opts.Now().UTC()
	var dr DryRun
	err = ws.view(ctx, func(tx *storage.Tx) error {
		res, _, err := pc.plan(tx, author, now)
		if err != nil {
			return err
		}
		dr.CommitResult = res
		if res.Created {
			return nil
		}
		latest, err := getVersion(tx, name, res.Version.Parent)
		dr.Latest = &latest
		return err
	})
	return dr, err
}
