package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"promptbench/workspace"
)

// Provider kinds.
const (
	KindOpenAI = "openai" // OpenAI or any OpenAI-compatible server
	KindAzure  = "azure"
	KindEcho   = "echo" // offline: answers with the rendered prompt
)

// Built-in defaults.
const (
	DefaultOpenAIBaseURL   = "https://api.openai.com/v1"
	DefaultOllamaBaseURL   = "http://localhost:11434/v1"
	DefaultAzureAPIVersion = "2024-10-21"
	DefaultAzureKeyEnv     = "AZURE_OPENAI_API_KEY"
	// DefaultTimeout bounds one attempt of a plain call and, for a stream,
	// the wait for each chunk; reasoning models can think for minutes.
	DefaultTimeout = 10 * time.Minute
	// maxConnsPerHost keeps this many idle connections per host so that
	// concurrent calls reuse them instead of dialling afresh.
	maxConnsPerHost = 256
)

// Errors Resolve and Complete wrap; test them with errors.Is.
var (
	ErrModelFormat     = errors.New("model not written provider/model")
	ErrUnknownProvider = errors.New("unknown provider")
	ErrNoAPIKey        = errors.New("API key not set")
)

// RetryPolicy says how often and how patiently calls are retried. Zero
// fields take the defaults.
type RetryPolicy struct {
	MaxAttempts     int           // including the first; default 4
	InitialInterval time.Duration // first backoff, jittered ±50%; default 500ms
	MaxInterval     time.Duration // backoff ceiling; default 20s
	MaxRetryAfter   time.Duration // cap on a server's Retry-After; default 60s
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.InitialInterval <= 0 {
		p.InitialInterval = 500 * time.Millisecond
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 20 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 60 * time.Second
	}
	return p
}

// Options are a Registry's dependencies.
type Options struct {
	// Getenv reads API keys and OPENAI_BASE_URL; nil means os.Getenv.
	Getenv func(string) string
	// HTTPClient carries every call; nil means a client whose transport
	// keeps enough idle connections per host for high concurrency. Its
	// Timeout must be 0: streams run long, and calls time out per attempt.
	HTTPClient *http.Client
	Retry      RetryPolicy
	// Now reads the clock for Retry-After dates; nil means time.Now.
	Now func() time.Time
}

// env is what every provider of a registry shares.
type env struct {
	getenv func(string) string
	client *http.Client
	retry  RetryPolicy
	now    func() time.Time
}

// Registry holds the configured providers and resolves "provider/model".
// It is safe for concurrent use; its per-provider limits hold across all
// calls made through it.
type Registry struct {
	providers map[string]*Provider
	env       *env
}

// NewRegistry validates cfgs and builds the registry: the built-in openai,
// ollama and echo providers, overridden by config entries of the same name.
func NewRegistry(cfgs []workspace.ProviderConfig, opts Options) (*Registry, error) {
	if err := Validate(cfgs); err != nil {
		return nil, err
	}
	e := &env{getenv: opts.Getenv, client: opts.HTTPClient, retry: opts.Retry.withDefaults(), now: opts.Now}
	if e.getenv == nil {
		e.getenv = os.Getenv
	}
	if e.client == nil {
		e.client = NewHTTPClient()
	}
	if e.now == nil {
		e.now = time.Now
	}
	r := &Registry{providers: map[string]*Provider{}, env: e}
	for _, c := range append(Builtins(e.getenv), cfgs...) {
		r.providers[c.Name] = newProvider(c, e)
	}
	return r, nil
}

// NewHTTPClient returns the client a registry uses by default: no overall
// timeout, generous idle connection reuse, bounded dial and TLS waits.
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 4 * maxConnsPerHost
	t.MaxIdleConnsPerHost = maxConnsPerHost
	t.IdleConnTimeout = 90 * time.Second
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 15 * time.Second
	return &http.Client{Transport: t}
}

// Builtins are the providers every workspace has: openai (base URL from
// OPENAI_BASE_URL, key from OPENAI_API_KEY), ollama on localhost, and echo.
func Builtins(getenv func(string) string) []workspace.ProviderConfig {
	base := DefaultOpenAIBaseURL
	if getenv != nil && getenv("OPENAI_BASE_URL") != "" {
		base = getenv("OPENAI_BASE_URL")
	}
	return []workspace.ProviderConfig{
		{Name: "openai", Kind: KindOpenAI, BaseURL: base, APIKeyEnv: "OPENAI_API_KEY"},
		{Name: "ollama", Kind: KindOpenAI, BaseURL: DefaultOllamaBaseURL},
		{Name: "echo", Kind: KindEcho},
	}
}

// Names lists the providers, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.providers))
	for n := range r.providers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// SplitModel splits "provider/model" at the first slash; the model part
// may hold more slashes (OpenRouter's "openrouter/openai/gpt-4o").
func SplitModel(s string) (provider, model string, err error) {
	if s == "" {
		return "", "", &resolveError{"no model given: write provider/model, e.g. openai/gpt-4o", ErrModelFormat}
	}
	p, m, ok := strings.Cut(s, "/")
	if !ok || p == "" || m == "" {
		return "", "", &resolveError{fmt.Sprintf("model %q must be written provider/model, e.g. openai/gpt-4o", s), ErrModelFormat}
	}
	return p, m, nil
}

// Resolve finds the provider of "provider/model" and checks that its API
// key variable is set; it returns the provider and the bare model name.
func (r *Registry) Resolve(model string) (*Provider, string, error) {
	pn, m, err := SplitModel(model)
	if err != nil {
		return nil, "", err
	}
	p, ok := r.providers[pn]
	if !ok {
		return nil, "", &resolveError{fmt.Sprintf("unknown provider %q in model %q; known providers: %s",
			pn, model, strings.Join(r.Names(), ", ")), ErrUnknownProvider}
	}
	if err := p.checkKey(); err != nil {
		return nil, "", err
	}
	return p, m, nil
}

// Complete resolves req.Params.Model and makes the call; see
// Provider.Complete. Resolution failures come back as the Result's Err.
func (r *Registry) Complete(ctx context.Context, req Request, onDelta func(string)) Result {
	p, m, err := r.Resolve(req.Params.Model)
	if err != nil {
		pn, mn, _ := strings.Cut(req.Params.Model, "/")
		return Result{Provider: pn, Model: mn, Err: err}
	}
	return p.Complete(ctx, m, req, onDelta)
}

// resolveError is a message of its own that still answers errors.Is for
// its sentinel.
type resolveError struct {
	msg  string
	kind error
}

func (e *resolveError) Error() string { return e.msg }
func (e *resolveError) Unwrap() error { return e.kind }

// Validate checks provider entries as the config loader reads them and
// returns every problem at once, each naming the entry and the field.
// Values that may be secrets (a key pasted into api_key_env, header
// values) are never repeated in the message.
func Validate(cfgs []workspace.ProviderConfig) error {
	var errs []error
	seen := map[string]int{}
	for i, c := range cfgs {
		where := fmt.Sprintf("providers[%d]", i)
		if c.Name != "" {
			where += fmt.Sprintf(" %q", c.Name)
		}
		bad := func(field, format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: %s: %s", where, field, fmt.Sprintf(format, args...)))
		}
		switch {
		case c.Name == "":
			bad("name", "required")
		case !validName(c.Name):
			bad("name", "use letters, digits, '-', '_' and '.', no '/' (models are written name/model)")
		default:
			if j, dup := seen[c.Name]; dup {
				bad("name", "duplicate of providers[%d]", j)
			}
			seen[c.Name] = i
		}
		switch c.Kind {
		case "", KindOpenAI, KindAzure, KindEcho:
		default:
			bad("kind", "unknown kind %q (want openai, azure or echo)", c.Kind)
		}
		if c.Kind == KindAzure && c.BaseURL == "" {
			bad("base_url", "required for kind azure (https://RESOURCE.openai.azure.com)")
		}
		if c.BaseURL != "" {
			if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("base_url", "%q is not an http:// or https:// URL", c.BaseURL)
			}
		}
		if c.APIKeyEnv != "" && !validEnvName(c.APIKeyEnv) {
			bad("api_key_env", "must be the NAME of an environment variable (letters, digits, '_'), not the key itself")
		}
		if c.Timeout != "" {
			if d, err := time.ParseDuration(c.Timeout); err != nil || d <= 0 {
				bad("timeout", "%q is not a positive duration like 30s or 2m", c.Timeout)
			}
		}
		if c.Concurrency < 0 {
			bad("concurrency", "%d is negative (0 means no limit)", c.Concurrency)
		}
		if c.RPM < 0 {
			bad("rpm", "%d is negative (0 means no limit)", c.RPM)
		}
		for _, name := range slices.Sorted(maps.Keys(c.Headers)) {
			if !validHeaderName(name) {
				bad("headers", "%q is not a valid header name", name)
			} else if strings.ContainsAny(c.Headers[name], "\r\n") {
				bad("headers", "value of %q contains a line break", name)
			}
		}
		for _, m := range slices.Sorted(maps.Keys(c.Prices)) {
			p := c.Prices[m]
			if !validPrice(p.Input) || !validPrice(p.Output) {
				bad("prices", "model %q: prices must be finite and not negative (USD per million tokens)", m)
			}
		}
	}
	return errors.Join(errs...)
}

func validPrice(f float64) bool { return f >= 0 && !math.IsInf(f, 0) && !math.IsNaN(f) }

func validName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func validEnvName(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return len(s) <= 128
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// limiterFor turns requests per minute into a token bucket of one.
func limiterFor(rpm int) *rate.Limiter {
	if rpm <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Every(time.Minute/time.Duration(rpm)), 1)
}

// KeyEnvNames lists, sorted, every environment variable a provider may
// read its API key from: the built-in ones (OPENAI_API_KEY, and Azure's
// default AZURE_OPENAI_API_KEY) and each configured api_key_env. Their
// values are what must never be stored.
func KeyEnvNames(cfgs []workspace.ProviderConfig) []string {
	names := []string{DefaultAzureKeyEnv}
	for _, c := range append(Builtins(nil), cfgs...) {
		if env := newProvider(c, &env{}).keyEnv; env != "" {
			names = append(names, env)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
