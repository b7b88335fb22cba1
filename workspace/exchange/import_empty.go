package exchange

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"promptbench/storage"
	"promptbench/workspace"
)

// NotEmptyError refuses to load a library (the demo) into a workspace
// that already holds prompts of its own: an import would merge into them,
// appending versions to prompts of the same name and moving their labels.
// It is an ErrInvalid; the front end says where to load it instead.
type NotEmptyError struct {
	Dir     string
	Prompts []string // the first few, by name
	More    bool     // there are more than Prompts
}

func (e *NotEmptyError) Is(target error) bool { return target == workspace.ErrInvalid }

func (e *NotEmptyError) Error() string {
	names := strings.Join(e.Prompts, ", ")
	if e.More {
		names += ", …"
	}
	return fmt.Sprintf("workspace %s already holds prompts (%s); loading a library into it would merge into them", e.Dir, names)
}

// notEmptyShown is how many prompt names NotEmptyError lists.
const notEmptyShown = 3

// ImportIntoEmpty imports an export file only into a workspace that holds
// no prompts yet. A workspace whose prompts already hold everything in the
// file (the same library loaded before) is left alone and the empty plan
// returned; any other one is refused with a NotEmptyError.
func ImportIntoEmpty(ctx context.Context, ws *workspace.Workspace, name string, data []byte) (ImportPlan, error) {
	plan, err := Import(ctx, ws, name, bytes.NewReader(data), ImportOptions{DryRun: true})
	if err != nil || !plan.Changes() {
		return plan, err
	}
	refusal := &NotEmptyError{Dir: ws.Dir}
	errStop := errors.New("enough")
	err = ws.ViewStore(ctx, func(tx *storage.Tx) error {
		return tx.ScanPrompts("", func(name string, _ []byte) error {
			if len(refusal.Prompts) == notEmptyShown {
				refusal.More = true
				return errStop
			}
			refusal.Prompts = append(refusal.Prompts, name)
			return nil
		})
	})
	if err != nil && !errors.Is(err, errStop) {
		return ImportPlan{}, err
	}
	if len(refusal.Prompts) > 0 {
		return ImportPlan{}, refusal
	}
	return Import(ctx, ws, name, bytes.NewReader(data), ImportOptions{})
}
