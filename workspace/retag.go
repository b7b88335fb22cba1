package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"promptbench/storage"
)

// Retag changes a prompt's tags and description without a new version:
// they describe the prompt, not what it says to a model. The change is
// audited; adding a tag it has or removing one it lacks changes nothing.
func (ws *Workspace) Retag(ctx context.Context, name string, add, remove []Tag, description *string) (Prompt, []string, error) {
	if err := ValidateName(name); err != nil {
		return Prompt{}, nil, err
	}
	var warnings []string
	for _, t := range add {
		warning, err := ws.Config.Taxonomy.Check(t)
		if err != nil {
			return Prompt{}, nil, err
		}
		if warning != "" {
			warnings = append(warnings, warning)
		}
	}
	if description != nil {
		if at := InvalidUTF8At(*description); at >= 0 {
			return Prompt{}, nil, Invalidf("the description of %s: byte offset %d is not valid UTF-8; descriptions are UTF-8 text", name, at)
		}
	}
	if description != nil && LooksLikeSecretIn(*description) {
		return Prompt{}, nil, Invalidf("the description of %s holds what looks like an API key; remove it", name)
	}
	author := ws.opts.Author()
	var now time.Time
	var p Prompt
	changed := false
	due, err := ws.write(ctx, func(tx *storage.Tx) error {
		now = ws.clockInTx()
		var err error
		if p, err = GetPrompt(tx, name); err != nil {
			return err
		}
		var details []string
		for _, s := range addTags(&p, add) {
			if err := tx.PutTag(s, name); err != nil {
				return fmt.Errorf("index tag %s: %w", s, err)
			}
			details = append(details, "+"+s)
		}
		for _, t := range remove {
			s := t.String()
			i := slices.Index(p.Tags, s)
			if i < 0 {
				continue
			}
			p.Tags = slices.Delete(p.Tags, i, i+1)
			if err := tx.DeleteTag(s, name); err != nil {
				return fmt.Errorf("unindex tag %s: %w", s, err)
			}
			details = append(details, "-"+s)
		}
		if description != nil && strings.TrimSpace(*description) != p.Description {
			p.Description = strings.TrimSpace(*description)
			details = append(details, "description")
		}
		if len(details) == 0 {
			return nil
		}
		changed = true
		p.Updated = now
		if err := putPrompt(tx, p); err != nil {
			return err
		}
		return AppendAudit(tx, AuditEvent{Time: now, Author: author, Action: AuditTag, Prompt: name, Detail: strings.Join(details, " ")})
	})
	if err != nil || !changed {
		return p, warnings, err
	}
	err = ws.Changed(ctx)
	ws.maintainIf(due)
	return p, warnings, err
}
