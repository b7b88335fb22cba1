package provider

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		stream    bool
		timeout   string
		reply     fakeopenai.Handler
		requests  int
		wantErr   error // nil: success
		wantIn    []string
		wantOut   string
		wantFinal int // HTTP status on the error
	}{
		{name: "500 then ok", reply: failFirst(2, fakeopenai.Reply{Status: 500}), requests: 3, wantOut: "You said: hello there world"},
		{name: "502 stream then ok", stream: true, reply: failFirst(1, fakeopenai.Reply{Status: 502}), requests: 2, wantOut: "You said: hello there world"},
		{name: "500 always", reply: always(fakeopenai.Reply{Status: 500, ErrorMessage: "boom"}), requests: 3, wantErr: ErrHTTP,
			wantIn: []string{"fake/m: HTTP 500 Internal Server Error: boom (after 3 attempts)"}, wantFinal: 500},
		{name: "400 not retried", reply: always(fakeopenai.Reply{Status: 400, ErrorMessage: "bad param", ErrorType: "invalid_request_error"}),
			requests: 1, wantErr: ErrHTTP, wantIn: []string{"HTTP 400 Bad Request: bad param"}, wantFinal: 400},
		{name: "404 not retried", reply: always(fakeopenai.Reply{Status: 404, ErrorMessage: "no such model"}), requests: 1, wantErr: ErrHTTP,
			wantIn: []string{"HTTP 404", "check the model name"}, wantFinal: 404},
		{name: "401 names the variable", reply: always(fakeopenai.Reply{Status: 401, ErrorMessage: "Incorrect API key provided"}), requests: 1,
			wantErr: ErrHTTP, wantIn: []string{"fake/m: HTTP 401 Unauthorized", "set a valid API key in FAKE_API_KEY"}, wantFinal: 401},
		{name: "429 quota not retried", reply: always(fakeopenai.Reply{Status: 429, ErrorCode: "insufficient_quota", ErrorMessage: "quota"}),
			requests: 1, wantErr: ErrHTTP, wantIn: []string{"HTTP 429", "retrying will not help"}, wantFinal: 429},
		{name: "429 retried", reply: failFirst(1, fakeopenai.Reply{Status: 429, RetryAfter: "0"}), requests: 2, wantOut: "You said: hello there world"},
		{name: "slow reply times out", timeout: "50ms", reply: always(fakeopenai.Reply{Delay: time.Second}), requests: 3, wantErr: ErrTimeout,
			wantIn: []string{"no answer within 50ms", "after 3 attempts"}},
		// The answers that must come in time get 400 ms: a loaded CI machine
		// takes more than 50 ms to serve a first byte now and then.
		{name: "slow once then ok", timeout: "400ms", reply: failFirst(1, fakeopenai.Reply{Delay: 5 * time.Second}), requests: 2, wantOut: "You said: hello there world"},
		{name: "stalled stream", stream: true, timeout: "400ms", reply: always(fakeopenai.Reply{Content: "a b c", ChunkDelay: 5 * time.Second}),
			requests: 1, wantErr: ErrTimeout, wantIn: []string{"stream stalled for 400ms after 1 characters"}, wantOut: "a"},
		{name: "malformed JSON", reply: always(fakeopenai.Reply{Malformed: true}), requests: 1, wantErr: ErrMalformed, wantIn: []string{"malformed response"}},
		{name: "malformed chunk", stream: true, reply: always(fakeopenai.Reply{Content: "a b c", Malformed: true}), requests: 1, wantErr: ErrMalformed, wantOut: "a"},
		{name: "stream cut mid-way", stream: true, reply: always(fakeopenai.Reply{Content: "one two three four", Cut: true, CutAfter: 2}),
			requests: 1, wantErr: ErrStreamCut, wantIn: []string{"stream cut after 7 characters"}, wantOut: "one two"},
		{name: "stream cut before content is retried", stream: true, reply: failFirst(1, fakeopenai.Reply{Cut: true}), requests: 2,
			wantOut: "You said: hello there world"},
		{name: "stream error mid-way", stream: true, reply: always(fakeopenai.Reply{Content: "one two three", StreamError: "overloaded", CutAfter: 1}),
			requests: 1, wantErr: ErrStreamError, wantIn: []string{"error inside the stream: overloaded"}, wantOut: "one"},
		{name: "stream error first is retried", stream: true, reply: failFirst(1, fakeopenai.Reply{StreamError: "overloaded"}), requests: 2,
			wantOut: "You said: hello there world"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeopenai.New(tt.reply)
			defer srv.Close()
			r := newTestRegistry(t, srv, func(c *workspace.ProviderConfig) {
				if tt.timeout != "" {
					c.Timeout = tt.timeout
				}
			})
			res, deltas := call(t, r, "fake/m", tt.stream)
			if got := srv.Requests(); got != tt.requests {
				t.Errorf("server saw %d requests, want %d", got, tt.requests)
			}
			if res.Attempts != tt.requests {
				t.Errorf("Attempts = %d, want %d", res.Attempts, tt.requests)
			}
			if tt.stream && deltas != res.Output {
				t.Errorf("deltas %q != output %q", deltas, res.Output)
			}
			if tt.wantOut != "" && res.Output != tt.wantOut {
				t.Errorf("output = %q, want %q", res.Output, tt.wantOut)
			}
			if tt.wantErr == nil {
				if res.Err != nil || res.FinishReason != "stop" {
					t.Fatalf("err = %v, finish %q", res.Err, res.FinishReason)
				}
				return
			}
			if !errors.Is(res.Err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
			}
			if res.FinishReason != "" {
				t.Errorf("failed result has finish reason %q", res.FinishReason)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(res.Err.Error(), w) {
					t.Errorf("error %q lacks %q", res.Err, w)
				}
			}
			var e *Error
			if !errors.As(res.Err, &e) || e.Status != tt.wantFinal || e.Provider != "fake" || e.Model != "m" {
				t.Errorf("error = %#v", res.Err)
			}
			if res.Output != "" && (res.OutputTokens == 0 || res.Cost == 0 || !res.TokensEstimated) {
				t.Errorf("partial output not accounted: %+v", res)
			}
		})
	}
}

func failFirst(k int, fail fakeopenai.Reply) fakeopenai.Handler {
	return func(n int, _ *fakeopenai.Request) fakeopenai.Reply {
		if n <= k {
			return fail
		}
		return fakeopenai.Reply{}
	}
}

func always(r fakeopenai.Reply) fakeopenai.Handler {
	return func(int, *fakeopenai.Request) fakeopenai.Reply { return r }
}

func TestRetryAfterHonoured(t *testing.T) {
	srv := fakeopenai.New(failFirst(1, fakeopenai.Reply{Status: 429, RetryAfter: "1", ErrorMessage: "slow down"}))
	defer srv.Close()
	r := newTestRegistry(t, srv, nil)
	start := time.Now()
	res, _ := call(t, r, "fake/m", false)
	if res.Err != nil || res.Attempts != 2 {
		t.Fatalf("res = %+v", res)
	}
	if el := time.Since(start); el < 900*time.Millisecond || el > 1900*time.Millisecond {
		t.Errorf("retry after %v, want about 1s", el)
	}
}

func TestRetryAfterCapped(t *testing.T) {
	srv := fakeopenai.New(failFirst(1, fakeopenai.Reply{Status: 503, RetryAfter: "3600"}))
	defer srv.Close()
	r := newTestRegistry(t, srv, nil)
	r.env.retry.MaxRetryAfter = 20 * time.Millisecond
	start := time.Now()
	if res, _ := call(t, r, "fake/m", false); res.Err != nil {
		t.Fatal(res.Err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("waited %v despite the cap", el)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		hdr  map[string]string
		want time.Duration
	}{
		{"none", nil, 0},
		{"seconds", map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{"fraction", map[string]string{"Retry-After": "0.5"}, 500 * time.Millisecond},
		{"http date", map[string]string{"Retry-After": now.Add(30 * time.Second).Format(http.TimeFormat)}, 30 * time.Second},
		{"date in the past", map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"garbage", map[string]string{"Retry-After": "soon"}, 0},
		{"negative", map[string]string{"Retry-After": "-3"}, 0},
		{"ms wins", map[string]string{"Retry-After": "7", "Retry-After-Ms": "250"}, 250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.hdr {
				h.Set(k, v)
			}
			if got := parseRetryAfter(h, now); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConnectionRefusedRetried(t *testing.T) {
	srv := fakeopenai.New(nil)
	srv.Close() // nothing listens there any more
	r := newTestRegistry(t, srv, nil)
	res, _ := call(t, r, "fake/m", false)
	if !errors.Is(res.Err, ErrConnection) || res.Attempts != 3 {
		t.Fatalf("res = %+v err %v", res, res.Err)
	}
	if !strings.Contains(res.Err.Error(), "connection to http://127.0.0.1") {
		t.Errorf("error %q", res.Err)
	}
}
