package provider

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/cenkalti/backoff/v5"
	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/time/rate"

	"promptbench/workspace"
)

// Provider is one configured endpoint. Its concurrency and rate limits are
// shared by every call made through it.
type Provider struct {
	name, kind string
	baseURL    string
	keyEnv     string // the variable's name; the key is read per call, never kept
	apiVersion string
	headers    map[string]string
	timeout    time.Duration
	prices     map[string]workspace.Price
	sem        chan struct{} // nil: no concurrency limit
	adaptive   *adaptive     // backs off under 429s, recovers by itself
	limiter    *rate.Limiter // nil: no rate limit
	env        *env
}

func newProvider(c workspace.ProviderConfig, e *env) *Provider {
	p := &Provider{
		name: c.Name, kind: c.Kind, baseURL: c.BaseURL, keyEnv: c.APIKeyEnv,
		apiVersion: c.APIVersion, headers: c.Headers, prices: c.Prices,
		timeout: DefaultTimeout, limiter: limiterFor(c.RPM), env: e, adaptive: newAdaptive(e.now),
	}
	if p.kind == "" {
		p.kind = KindOpenAI
	}
	if p.kind == KindOpenAI && p.baseURL == "" {
		p.baseURL = DefaultOpenAIBaseURL
	}
	if p.kind == KindAzure {
		if p.keyEnv == "" {
			p.keyEnv = DefaultAzureKeyEnv
		}
		if p.apiVersion == "" {
			p.apiVersion = DefaultAzureAPIVersion
		}
	}
	if d, err := time.ParseDuration(c.Timeout); err == nil && d > 0 {
		p.timeout = d
	}
	if c.Concurrency > 0 {
		p.sem = make(chan struct{}, c.Concurrency)
	}
	return p
}

// Name is the provider's name, the part before the slash in models.
func (p *Provider) Name() string { return p.name }

// Kind is openai, azure or echo.
func (p *Provider) Kind() string { return p.kind }

// KeyEnv names the environment variable holding the API key ("" for none).
func (p *Provider) KeyEnv() string { return p.keyEnv }

func (p *Provider) checkKey() error {
	if p.kind == KindEcho || p.keyEnv == "" || p.env.getenv(p.keyEnv) != "" {
		return nil
	}
	return &resolveError{fmt.Sprintf("provider %s needs an API key: set %s", p.name, p.keyEnv), ErrNoAPIKey}
}

// Complete calls model with req. With req.Stream it streams and passes
// each text delta to onDelta (which may be nil) as it arrives. Failed
// attempts are retried with jittered exponential backoff, honouring
// Retry-After, when the failure is transient (429, 5xx, timeouts,
// connection errors) and nothing has been delivered yet. Cancelling ctx
// stops the call at once; the Result then carries ctx's error and any
// partial output.
func (p *Provider) Complete(ctx context.Context, model string, req Request, onDelta func(string)) Result {
	if onDelta == nil {
		onDelta = func(string) {}
	}
	if p.kind == KindEcho {
		return p.echo(ctx, model, req, onDelta)
	}
	res := Result{Provider: p.name, Model: model}
	if err := p.checkKey(); err != nil {
		res.Err = err
		return res
	}
	key := ""
	if p.keyEnv != "" {
		key = p.env.getenv(p.keyEnv)
	}
	client := p.client(key)
	creq, err := chatRequest(model, req)
	if err != nil {
		res.Err = p.fail(model, key, nil, err, 0)
		return res
	}
	retry := p.env.retry
	bo := &backoff.ExponentialBackOff{
		InitialInterval:     retry.InitialInterval,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         retry.MaxInterval,
	}
	bo.Reset()
	// A failed call reports the time it cost the caller, every attempt and
	// wait included; a successful one the latency of its final attempt.
	start := p.env.now()
	for {
		res.Attempts++
		a := p.attempt(ctx, client, creq, req.Stream, onDelta)
		if a.err == nil {
			p.finish(&res, model, req, a)
			return res
		}
		e := p.fail(model, key, a, a.err, res.Attempts)
		if ctx.Err() != nil {
			e.cause, e.retryable, e.Status = ctx.Err(), false, 0
			e.Message = "cancelled"
			if a.output != "" {
				e.Message = fmt.Sprintf("cancelled after %d characters", utf8.RuneCountInString(a.output))
			}
		}
		res.Output, res.FinishReason = a.output, a.finish
		res.TTFT, res.Latency = a.ttft, a.latency
		if a.output != "" {
			// A partial stream was billed: count what it cost.
			p.account(&res, model, req, a)
		}
		if !e.retryable || a.delivered || res.Attempts >= retry.MaxAttempts {
			res.Err, res.Latency = e, p.env.now().Sub(start)
			return res
		}
		wait := bo.NextBackOff()
		if a.retryAfter > 0 {
			wait = min(a.retryAfter, retry.MaxRetryAfter)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			e.cause, e.Message = ctx.Err(), "cancelled while waiting to retry after: "+e.Message
			res.Err, res.Latency = e, p.env.now().Sub(start)
			return res
		case <-t.C:
		}
	}
}

// finish fills res from a successful attempt.
func (p *Provider) finish(res *Result, model string, req Request, a *attempt) {
	res.Output, res.FinishReason = a.output, a.finish
	res.TTFT, res.Latency = a.ttft, a.latency
	p.account(res, model, req, a)
}

// account sets token counts, from the server's usage or else from
// tiktoken, and the cost.
func (p *Provider) account(res *Result, model string, req Request, a *attempt) {
	if a.usage != nil && (a.usage.PromptTokens > 0 || a.usage.CompletionTokens > 0) {
		res.InputTokens, res.OutputTokens = a.usage.PromptTokens, a.usage.CompletionTokens
		res.TokensEstimated = false
	} else {
		res.InputTokens = countMessages(req.Messages, func(s string) int { return countTokens(model, s) })
		res.OutputTokens = countTokens(model, a.output)
		res.TokensEstimated = true
	}
	price, ok := p.Price(model)
	res.Cost, res.Unpriced = cost(price, res.InputTokens, res.OutputTokens), !ok
}

// client builds a go-openai client for one call; it is cheap, and the
// HTTP client underneath is shared.
func (p *Provider) client(key string) *openai.Client {
	var cfg openai.ClientConfig
	if p.kind == KindAzure {
		cfg = openai.DefaultAzureConfig(key, p.baseURL)
		cfg.APIVersion = p.apiVersion
		// Models of an azure provider are deployment names: use them as they are.
		cfg.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		cfg = openai.DefaultConfig(key)
		cfg.BaseURL = p.baseURL
	}
	cfg.HTTPClient = &doer{client: p.env.client, headers: p.headers, now: p.env.now}
	return openai.NewClientWithConfig(cfg)
}

// doer adds the configured headers and records each response's status and
// Retry-After for the attempt that sent it, which go-openai's errors drop.
type doer struct {
	client  *http.Client
	headers map[string]string
	now     func() time.Time
}

type responseKey struct{}

// response is what doer saw of an attempt's HTTP response.
type response struct {
	status     int // of an error answer
	code       int // of any answer, for the adaptive concurrency
	pause      time.Duration
	retryAfter time.Duration
	body       io.Reader // the raw body of a successful response
}

func (d *doer) Do(req *http.Request) (*http.Response, error) {
	for k, v := range d.headers {
		req.Header.Set(k, v)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "promptbench")
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return resp, err
	}
	if r, ok := req.Context().Value(responseKey{}).(*response); ok {
		r.code = resp.StatusCode
		r.pause = rateLimitPause(resp.Header, resp.StatusCode, d.now())
		if resp.StatusCode >= 400 {
			r.status = resp.StatusCode
			r.retryAfter = parseRetryAfter(resp.Header, d.now())
		} else {
			r.body = resp.Body
		}
	}
	return resp, nil
}
