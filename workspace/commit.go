package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"promptbench/storage"
	"promptbench/workspace/template"
)

// CommitResult is what a commit made.
type CommitResult struct {
	Version  Version
	Prompt   Prompt
	Created  bool     // the prompt is new
	Warnings []string // taxonomy and include warnings
}

// Commit appends a new version to prompt name (creating the prompt), after
// checking names, tags, templates and includes. It writes the version, the
// prompt summary, the tag index and the audit event in one durable
// transaction, so a failure changes nothing.
func (ws *Workspace) Commit(ctx context.Context, name string, d Draft) (CommitResult, error) {
	pc, err := ws.prepareCommit(name, d)
	if err != nil {
		return CommitResult{}, err
	}
	author := ws.opts.Author()
	var now time.Time
	var res CommitResult
	due, err := ws.write(ctx, func(tx *storage.Tx) error {
		now = ws.clockInTx()
		res, err = pc.apply(tx, author, now)
		return err
	})
	if err != nil {
		return CommitResult{}, err
	}
	err = ws.Changed(ctx)
	v := res.Version
	ws.Notify(ctx, HookEvent{Event: "commit", Action: AuditCommit, Time: now, Author: author, Prompt: name, Detail: v.Message,
		Before: versionState(v.Parent, ""), After: versionState(v.Number, v.Hash)})
	ws.maintainIf(due)
	return res, err
}

// pendingCommit is a draft checked as far as it can be without the store.
type pendingCommit struct {
	name     string
	draft    Draft
	parsed   parsedMessages
	hash     string
	warnings []string
}

func (ws *Workspace) prepareCommit(name string, d Draft) (pendingCommit, error) {
	if err := ValidateName(name); err != nil {
		return pendingCommit{}, err
	}
	if field, at := draftUTF8(d); field != "" {
		return pendingCommit{}, Invalidf("commit %s: %s: byte offset %d is not valid UTF-8; prompts are UTF-8 text, so nothing was committed", name, draftFieldName(field), at)
	}
	if err := ValidateContent(d.Messages, d.Config); err != nil {
		return pendingCommit{}, fmt.Errorf("commit %s: %w", name, err)
	}
	for _, s := range d.Scorers {
		if err := ValidateScorer(s); err != nil {
			return pendingCommit{}, fmt.Errorf("commit %s: %w", name, err)
		}
	}
	if field := VersionSecret(Version{Messages: d.Messages, Config: d.Config, Scorers: d.Scorers, Message: d.Message}); field != "" {
		return pendingCommit{}, Invalidf("commit %s: %s holds what looks like an API key (sk-…, ghp_…, xoxb-…, AKIA…); prompts are shared and exported, so keys belong in environment variables (a provider's api_key_env). Remove it and commit again", name, field)
	}
	if d.Description != nil && LooksLikeSecretIn(*d.Description) {
		return pendingCommit{}, Invalidf("commit %s: the description holds what looks like an API key; remove it and commit again", name)
	}
	pc := pendingCommit{name: name, draft: d}
	for _, t := range d.Tags {
		warning, err := ws.Config.Taxonomy.Check(t)
		if err != nil {
			return pendingCommit{}, err
		}
		if warning != "" {
			pc.warnings = append(pc.warnings, warning)
		}
	}
	parsed, err := parseMessages(d.Messages)
	if err != nil {
		return pendingCommit{}, fmt.Errorf("commit %s: %w", name, err)
	}
	pc.parsed = parsed
	pc.hash = ContentHash(d.Messages, d.Config)
	if err := checkExportable(name, d, pc.hash); err != nil {
		return pendingCommit{}, err
	}
	return pc, nil
}

// apply writes the commit inside tx: the checks that need the store
// (identical content, includes), then version, prompt, tag index, audit.
func (pc pendingCommit) apply(tx *storage.Tx, author string, now time.Time) (CommitResult, error) {
	res, added, err := pc.plan(tx, author, now)
	if err != nil {
		return CommitResult{}, err
	}
	v, p := res.Version, res.Prompt
	if err := putVersion(tx, v); err != nil {
		return CommitResult{}, err
	}
	if err := putPrompt(tx, p); err != nil {
		return CommitResult{}, err
	}
	for _, t := range added {
		if err := tx.PutTag(t, pc.name); err != nil {
			return CommitResult{}, fmt.Errorf("index tag %s: %w", t, err)
		}
	}
	err = AppendAudit(tx, AuditEvent{Time: now, Author: author, Action: AuditCommit, Prompt: pc.name, Version: v.Number, Detail: v.Message})
	return res, err
}

// plan does everything of a commit but the writes: the checks that need
// the store, inheritance, and the version and prompt record it would
// write, with the tags it would add to the index.
func (pc pendingCommit) plan(tx *storage.Tx, author string, now time.Time) (CommitResult, []string, error) {
	name, d := pc.name, pc.draft
	res := CommitResult{Warnings: pc.warnings}
	p, err := GetPrompt(tx, name)
	if err == nil && d.Inherit {
		if pc, err = pc.inherit(tx, p); err != nil {
			return CommitResult{}, nil, err
		}
		d = pc.draft
	}
	switch {
	case errors.Is(err, ErrNotFound):
		p = Prompt{Name: name, Created: now}
		res.Created = true
	case err != nil:
		return CommitResult{}, nil, err
	case p.LatestHash == pc.hash:
		return CommitResult{}, nil, kindf(ErrUnchanged, "%s@%d already has this exact content (hash %s); change the messages or model config, or move a label with `promptbench label`", name, p.Latest, pc.hash[:12])
	}
	if err := checkIncludes(tx, name, pc.parsed.partials, false); err != nil {
		return CommitResult{}, nil, fmt.Errorf("commit %s: %w", name, err)
	}
	v := Version{
		Prompt:    name,
		Number:    p.Latest + 1,
		Hash:      pc.hash,
		Parent:    p.Latest,
		Messages:  d.Messages,
		Config:    d.Config,
		Variables: pc.parsed.variables,
		Scorers:   d.Scorers,
		Message:   strings.TrimSpace(d.Message),
		Author:    author,
		Time:      now,
	}
	if d.Description != nil {
		p.Description = strings.TrimSpace(*d.Description)
	}
	added := addTags(&p, d.Tags)
	p.Latest, p.LatestHash, p.Model, p.Updated = v.Number, pc.hash, d.Config.Model, now
	res.Version, res.Prompt = v, p
	return res, added, nil
}

// addTags adds tags to the prompt and returns the ones it did not have.
func addTags(p *Prompt, tags []Tag) []string {
	var added []string
	for _, t := range tags {
		s := t.String()
		if !slices.Contains(p.Tags, s) {
			p.Tags = append(p.Tags, s)
			added = append(added, s)
		}
	}
	slices.Sort(p.Tags)
	return added
}

func putVersion(tx *storage.Tx, v Version) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s@%d: %w", v.Prompt, v.Number, err)
	}
	return tx.PutVersion(v.Prompt, v.Number, b)
}

func putPrompt(tx *storage.Tx, p Prompt) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode prompt %s: %w", p.Name, err)
	}
	return tx.PutPrompt(p.Name, b)
}

type parsedMessages struct {
	templates []*template.Template
	variables []string
	partials  []string
}

// parseMessages parses every message template, naming the message of a
// syntax error, and derives the variables and includes they use.
func parseMessages(msgs []Message) (parsedMessages, error) {
	var pm parsedMessages
	for i, m := range msgs {
		t, err := template.Parse(m.Content)
		if err != nil {
			return parsedMessages{}, Invalidf("messages[%d] (%s): %v", i, m.Role, err)
		}
		pm.templates = append(pm.templates, t)
		pm.variables = append(pm.variables, t.Variables()...)
		pm.partials = append(pm.partials, t.Partials()...)
	}
	slices.Sort(pm.variables)
	pm.variables = slices.Compact(pm.variables)
	slices.Sort(pm.partials)
	pm.partials = slices.Compact(pm.partials)
	return pm, nil
}

// checkIncludes refuses includes of unknown prompts, of the prompt itself,
// and includes that lead back to it; with cyclesOnly, includes that do not
// resolve are passed over and only cycles are refused.
func checkIncludes(tx *storage.Tx, self string, partials []string, cyclesOnly bool) error {
	seen := map[string]bool{}
	var walk func(from string, refs []string, chain []string) error
	walk = func(from string, refs []string, chain []string) error {
		for _, raw := range refs {
			ref, err := parseIncludeRef(raw)
			if err != nil {
				return fmt.Errorf("include {{> %s}} in %s: %w", raw, from, err)
			}
			if ref.Name == self && len(chain) == 1 {
				return Invalidf("%s includes itself ({{> %s}})", self, raw)
			}
			if ref.Name == self {
				return Invalidf("include cycle: %s -> %s", strings.Join(chain, " -> "), self)
			}
			key := ref.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			_, v, err := resolveRef(tx, ref)
			if err != nil && cyclesOnly {
				continue
			}
			if err != nil {
				return Invalidf("include {{> %s}} in %s: %v", raw, from, err)
			}
			pm, err := parseMessages(v.Messages)
			if err != nil {
				return fmt.Errorf("include %s: %w", key, err)
			}
			if err := walk(ref.Name, pm.partials, append(chain, ref.Name)); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(self, partials, []string{self})
}

// parseIncludeRef reads the ref of {{> name}}; a bare name means the
// prompt's production version.
func parseIncludeRef(raw string) (Ref, error) {
	ref, err := ParseRef(raw)
	if err != nil {
		return Ref{}, err
	}
	if ref.Number == 0 && ref.Label == "" && ref.Hash == "" {
		ref.Label = "production"
	}
	return ref, nil
}

// inherit fills the draft's unset config fields and scorers from the
// prompt's latest version, and checks and hashes the result again.
func (pc pendingCommit) inherit(tx *storage.Tx, p Prompt) (pendingCommit, error) {
	latest, err := getVersion(tx, p.Name, p.Latest)
	if err != nil {
		return pc, err
	}
	d := &pc.draft
	d.Config = overlayConfig(latest.Config, d.Config)
	if len(d.Scorers) == 0 {
		d.Scorers = latest.Scorers
	}
	if err := ValidateContent(d.Messages, d.Config); err != nil {
		return pc, fmt.Errorf("commit %s: %w", pc.name, err)
	}
	pc.hash = ContentHash(d.Messages, d.Config)
	return pc, nil
}

// overlayConfig is base with every field set in over replacing its own.
func overlayConfig(base, over ModelConfig) ModelConfig {
	if over.Model != "" {
		base.Model = over.Model
	}
	if over.Temperature != nil {
		base.Temperature = over.Temperature
	}
	if over.TopP != nil {
		base.TopP = over.TopP
	}
	if over.MaxTokens != 0 {
		base.MaxTokens = over.MaxTokens
	}
	if over.Stop != nil {
		base.Stop = over.Stop
	}
	if over.Seed != nil {
		base.Seed = over.Seed
	}
	if over.ResponseFormat != nil {
		base.ResponseFormat = over.ResponseFormat
	}
	return base
}
