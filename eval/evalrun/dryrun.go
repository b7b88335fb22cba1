package evalrun

import (
	"context"
	"errors"
	"strings"

	"promptbench/eval"
	"promptbench/eval/provider"
	"promptbench/workspace"
)

// Estimate is what a run would do, per variant, without calling anything.
type Estimate struct {
	Rows     int
	Skipped  []InvalidRow
	Variants []VariantEstimate
}

// VariantEstimate counts one variant's calls, the cache hits expected,
// the prompt tokens (offline tokenizer) and the cost.
type VariantEstimate struct {
	ID           string
	Model        string
	Calls        int
	CacheHits    int
	InputTokens  int
	OutputTokens int  // at most: max_tokens × calls; 0 when max_tokens is unset
	OutputKnown  bool // max_tokens is set
	CostUSD      float64
	Priced       bool // the model has a price
}

// costs is what prices a variant: *provider.Registry.
type costs interface {
	Resolve(model string) (*provider.Provider, string, error)
}

// DryRun checks everything a run checks and estimates it; nothing is
// called and nothing written.
func DryRun(ctx context.Context, ws *workspace.Workspace, client eval.Completer, o Options) (*Estimate, error) {
	o.dryRun = true
	o.ScorerOptions = withJudge(ws, client, o, func() workspace.RunID { return "" })
	p, err := newPlan(ctx, ws, client, o)
	if err != nil {
		return nil, err
	}
	est := &Estimate{Rows: p.rows, Skipped: p.skipped}
	type pending struct {
		variant int
		key     string
	}
	var batch []pending
	flush := func() error {
		if len(batch) == 0 || o.NoCache {
			batch = batch[:0]
			return nil
		}
		keys := make([]string, len(batch))
		for i, b := range batch {
			keys[i] = b.key
		}
		known, err := ws.CacheGetMany(ctx, keys)
		if err != nil {
			return err
		}
		for _, b := range batch {
			if _, ok := known[b.key]; ok {
				est.Variants[b.variant].CacheHits++
			}
		}
		batch = batch[:0]
		return nil
	}
	for _, v := range p.variants {
		est.Variants = append(est.Variants, VariantEstimate{ID: v.ID, Model: v.Model})
	}
	for row, err := range o.rows() {
		if err != nil {
			return nil, err
		}
		if p.invalid[row.ID] {
			continue
		}
		for i, v := range p.variants {
			r, err := v.prepared.Render(row.Vars)
			if err != nil {
				return nil, err
			}
			params := r.Version.Config
			params.Model = v.Model
			req := eval.Request{Messages: r.Messages, Params: params}
			_, name, _ := strings.Cut(v.Model, "/")
			in := provider.PromptTokens(name, r.Messages)
			e := &est.Variants[i]
			for rep := range o.repeat() {
				e.Calls++
				e.InputTokens += in
				if params.MaxTokens > 0 {
					e.OutputTokens += params.MaxTokens
					e.OutputKnown = true
				}
				if key := eval.CaseKey(req, rep); key != "" {
					batch = append(batch, pending{variant: i, key: key})
				}
			}
		}
		if len(batch) >= 1024 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if c, ok := client.(costs); ok {
		for i := range est.Variants {
			e := &est.Variants[i]
			share := 1.0
			if e.Calls > 0 {
				share = float64(e.Calls-e.CacheHits) / float64(e.Calls)
			}
			in, out := int(float64(e.InputTokens)*share), int(float64(e.OutputTokens)*share)
			if pv, name, err := c.Resolve(e.Model); err == nil {
				e.CostUSD, e.Priced = pv.Cost(name, in, out)
			} else if _, name, _ := strings.Cut(e.Model, "/"); errors.Is(err, provider.ErrNoAPIKey) {
				// No key yet: the published price, as a call would be billed.
				if price, ok := provider.DefaultPrice(name); ok {
					e.CostUSD, e.Priced = (float64(in)*price.Input+float64(out)*price.Output)/1e6, true
				}
			}
		}
	}
	return est, nil
}
