package provider

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"promptbench/workspace"
)

// CheckModel is the model a check calls when the provider prices none and
// does not list its models.
const CheckModel = "gpt-4o-mini"

// Auth outcomes of a check.
const (
	AuthOK      = "ok"          // the server accepted the call
	AuthFailed  = "failed"      // 401 or 403
	AuthMissing = "missing key" // the key variable is not set; nothing was called
	AuthNone    = "not needed"  // no key configured, and the server asked for none
	AuthUnknown = "unknown"     // the server could not be reached or failed first
)

// CheckResult is what one cheap call to a provider showed. Problem is the
// call's error text (keys scrubbed), empty when it answered.
type CheckResult struct {
	Provider  string        `json:"provider"`
	Model     string        `json:"model"`
	Reachable bool          `json:"reachable"`
	Auth      string        `json:"auth"`
	Latency   time.Duration `json:"latency_ns"`
	Status    int           `json:"status,omitempty"`
	Problem   string        `json:"problem,omitempty"`
	// ModelUnknown: the server answered 404, most likely for the model.
	ModelUnknown bool   `json:"model_unknown,omitempty"`
	KeyEnv       string `json:"api_key_env,omitempty"`
}

// Check makes one 1-token call to provider name and says what it showed.
// Model "" picks the first model config.yaml prices for it, else the first
// the server lists at GET /models, else CheckModel. A registry
// meant for checks is built with Retry.MaxAttempts 1, so that an
// unreachable server fails at once.
func (r *Registry) Check(ctx context.Context, name, model string) (CheckResult, error) {
	p, ok := r.providers[name]
	if !ok {
		return CheckResult{}, &resolveError{"unknown provider " + name + "; known providers: " + strings.Join(r.Names(), ", "), ErrUnknownProvider}
	}
	if model == "" {
		model = CheckModel
		if names := slices.Sorted(maps.Keys(p.prices)); len(names) > 0 {
			model = names[0]
		}
		if p.kind == KindEcho {
			model = "echo"
		}
	}
	res := CheckResult{Provider: name, Model: model, KeyEnv: p.keyEnv}
	if err := p.checkKey(); err != nil {
		res.Auth, res.Problem = AuthMissing, err.Error()
		return res, nil
	}
	if model == CheckModel && p.kind == KindOpenAI {
		if listed := p.firstListedModel(ctx); listed != "" {
			model, res.Model = listed, listed
		}
	}
	call := p.Complete(ctx, model, Request{
		Messages: []workspace.Message{{Role: workspace.RoleUser, Content: "Say OK."}},
		Params:   workspace.ModelConfig{Model: name + "/" + model, MaxTokens: 1},
	}, nil)
	res.Latency = call.Latency
	var perr *Error
	switch {
	case call.Err == nil:
		res.Reachable, res.Auth = true, AuthOK
		if p.keyEnv == "" && p.kind != KindEcho {
			res.Auth = AuthNone
		}
		return res, nil
	case errors.As(call.Err, &perr):
		res.Problem, res.Status = perr.Error(), perr.Status
	default:
		res.Problem = call.Err.Error()
	}
	switch {
	case res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden:
		res.Reachable, res.Auth = true, AuthFailed
	case res.Status == http.StatusNotFound:
		res.Reachable, res.Auth, res.ModelUnknown = true, AuthOK, true
	case res.Status == 0:
		// No HTTP answer: refused, timed out, cancelled; a malformed
		// answer still came from the server.
		res.Reachable = !errors.Is(call.Err, ErrConnection) && !errors.Is(call.Err, ErrTimeout) &&
			!errors.Is(call.Err, context.DeadlineExceeded) && !errors.Is(call.Err, context.Canceled)
		res.Auth = AuthUnknown
	case res.Status >= 500:
		res.Reachable, res.Auth = true, AuthUnknown
	default: // 400, 429 and the like: the server took the key
		res.Reachable, res.Auth = true, AuthOK
	}
	return res, nil
}

// firstListedModel asks the server for its models and returns the first
// id in sorted order, or "" when it will not say: a local server (Ollama,
// vLLM, LM Studio) rarely serves gpt-4o-mini, but most list what they do
// serve.
func (p *Provider) firstListedModel(ctx context.Context) string {
	key := ""
	if p.keyEnv != "" {
		key = p.env.getenv(p.keyEnv)
	}
	list, err := p.client(key).ListModels(ctx)
	if err != nil || len(list.Models) == 0 {
		return ""
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids[0]
}
