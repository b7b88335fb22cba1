package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

func TestCompletePlain(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: "The answer is 42.", PromptTokens: 1000, CompletionTokens: 250}
	})
	defer srv.Close()
	r := newTestRegistry(t, srv, func(c *workspace.ProviderConfig) { c.Headers = map[string]string{"X-Team": "evals"} })
	res := r.Complete(context.Background(), Request{
		Messages: []workspace.Message{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Why?"}},
		Params: workspace.ModelConfig{Model: "fake/m", Temperature: ptr(0.0), TopP: ptr(0.5), MaxTokens: 100,
			Seed: ptr(int64(7)), Stop: []string{"END"}, ResponseFormat: &workspace.ResponseFormat{Type: "json_object"}},
	}, nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.Output != "The answer is 42." || res.FinishReason != "stop" || res.Attempts != 1 {
		t.Errorf("result = %+v", res)
	}
	if res.InputTokens != 1000 || res.OutputTokens != 250 || res.TokensEstimated {
		t.Errorf("tokens = %d/%d estimated=%v", res.InputTokens, res.OutputTokens, res.TokensEstimated)
	}
	if want := (1000*2.0 + 250*8.0) / 1e6; math.Abs(res.Cost-want) > 1e-12 || res.Unpriced {
		t.Errorf("cost = %v, want %v", res.Cost, want)
	}
	if res.Latency <= 0 || res.TTFT != res.Latency {
		t.Errorf("ttft %v latency %v", res.TTFT, res.Latency)
	}
	got := srv.Received()[0]
	if got.Header.Get("Authorization") != "Bearer "+testKey || got.Header.Get("X-Team") != "evals" {
		t.Errorf("headers = %v", got.Header)
	}
	if got.Model != "m" || got.Stream || got.StreamOptions != nil {
		t.Errorf("request = %+v", got)
	}
	if got.Temperature == nil || *got.Temperature > 1e-30 {
		t.Errorf("temperature 0 not sent: %v", got.Temperature)
	}
	if got.TopP == nil || *got.TopP != 0.5 || got.MaxTokens == nil || *got.MaxTokens != 100 || got.MaxCompletionTokens != nil {
		t.Errorf("sampling params = %+v", got)
	}
	if got.Seed == nil || *got.Seed != 7 || len(got.Stop) != 1 || got.ResponseFormat == nil {
		t.Errorf("seed/stop/format = %+v", got)
	}
}

func TestReasoningModelParams(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	r := newTestRegistry(t, srv, nil)
	res := r.Complete(context.Background(), Request{
		Messages: userMsg("think"),
		Params:   workspace.ModelConfig{Model: "fake/o4-mini", Temperature: ptr(0.7), TopP: ptr(0.9), MaxTokens: 500},
	}, nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	got := srv.Received()[0]
	if got.MaxCompletionTokens == nil || *got.MaxCompletionTokens != 500 || got.MaxTokens != nil {
		t.Errorf("max tokens: completion=%v max=%v", got.MaxCompletionTokens, got.MaxTokens)
	}
	if got.Temperature != nil || got.TopP != nil {
		t.Errorf("reasoning model got temperature %v / top_p %v", got.Temperature, got.TopP)
	}
}

func TestCompleteStream(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: "one two three four", PromptTokens: 11, CompletionTokens: 4, ChunkDelay: time.Millisecond}
	})
	defer srv.Close()
	r := newTestRegistry(t, srv, nil)
	res, deltas := call(t, r, "fake/m", true)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.Output != "one two three four" || deltas != res.Output || res.FinishReason != "stop" {
		t.Errorf("output %q deltas %q finish %q", res.Output, deltas, res.FinishReason)
	}
	if res.InputTokens != 11 || res.OutputTokens != 4 || res.TokensEstimated {
		t.Errorf("tokens %d/%d estimated=%v", res.InputTokens, res.OutputTokens, res.TokensEstimated)
	}
	if res.TTFT <= 0 || res.TTFT >= res.Latency {
		t.Errorf("ttft %v latency %v", res.TTFT, res.Latency)
	}
	if got := srv.Received()[0]; !got.Stream || got.StreamOptions == nil || !got.StreamOptions.IncludeUsage {
		t.Errorf("stream request = %+v", got)
	}
}

func TestNoUsageCountsOffline(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprint("stream=", stream), func(t *testing.T) {
			srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
				return fakeopenai.Reply{Content: "Hello, world! This is a test.", NoUsage: true}
			})
			defer srv.Close()
			r := newTestRegistry(t, srv, func(c *workspace.ProviderConfig) {
				c.Prices = map[string]workspace.Price{"gpt-4o": {Input: 2.5, Output: 10}}
			})
			res, _ := call(t, r, "fake/gpt-4o", stream)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			// o200k_base: "Hello, world! This is a test." is 9 tokens; the
			// prompt is 3 + 1 ("user") + 3 ("hello there world") + 3.
			if !res.TokensEstimated || res.OutputTokens != 9 || res.InputTokens != 10 {
				t.Errorf("tokens %d/%d estimated=%v", res.InputTokens, res.OutputTokens, res.TokensEstimated)
			}
			if want := (10*2.5 + 9*10) / 1e6; math.Abs(res.Cost-want) > 1e-12 {
				t.Errorf("cost %v want %v", res.Cost, want)
			}
		})
	}
}

func TestTokenizerEncodings(t *testing.T) {
	// o200k_base packs non-English text tighter than cl100k_base.
	text := "日本語のテキストのトークンを数えます。"
	if a, b := countTokens("gpt-4o", text), countTokens("gpt-3.5-turbo", text); a <= 0 || b <= 0 || a >= b {
		t.Errorf("o200k %d, cl100k %d", a, b)
	}
	if n := countTokens("gpt-4o", "<|endoftext|>"); n == 0 {
		t.Error("special token text not counted as text")
	}
}

// TestFaults drives every fault the fake server injects and checks the

// retry decision (counted server-side), the error and what is kept.

func TestCancelStopsAtOnce(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprint("stream=", stream), func(t *testing.T) {
			reply := fakeopenai.Reply{Content: "a b c d", ChunkDelay: 5 * time.Second}
			if !stream {
				reply.Delay = 5 * time.Second
			}
			srv := fakeopenai.New(always(reply))
			defer srv.Close()
			r := newTestRegistry(t, srv, func(c *workspace.ProviderConfig) { c.Timeout = "30s" })
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(300*time.Millisecond, cancel)
			start := time.Now()
			res := r.Complete(ctx, Request{Messages: userMsg("x"), Params: workspace.ModelConfig{Model: "fake/m"}, Stream: stream}, nil)
			if el := time.Since(start); el > time.Second {
				t.Errorf("cancel took %v", el)
			}
			if !errors.Is(res.Err, context.Canceled) || res.Attempts != 1 {
				t.Fatalf("res = %+v, err %v", res, res.Err)
			}
			if stream && res.Output != "a" {
				t.Errorf("partial output %q not kept", res.Output)
			}
		})
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	srv := fakeopenai.New(always(fakeopenai.Reply{Status: 429, RetryAfter: "30"}))
	defer srv.Close()
	r := newTestRegistry(t, srv, nil)
	r.env.retry.MaxRetryAfter = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := r.Complete(ctx, Request{Messages: userMsg("x"), Params: workspace.ModelConfig{Model: "fake/m"}}, nil)
	if !errors.Is(res.Err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", res.Err, time.Since(start))
	}
}

// TestKeyNeverLeaks makes the server quote the key back in every way it

// can and greps everything the engine returns.

func TestKeyNeverLeaks(t *testing.T) {
	quote := func(n int, req *fakeopenai.Request) fakeopenai.Reply {
		auth := req.Header.Get("Authorization")
		switch {
		case req.Stream:
			return fakeopenai.Reply{StreamError: "bad key " + auth}
		case n%3 == 0:
			return fakeopenai.Reply{Status: 401, ErrorMessage: "Incorrect API key provided: " + auth}
		case n%3 == 1:
			return fakeopenai.Reply{Status: 500, ErrorMessage: "upstream rejected " + auth}
		default:
			return fakeopenai.Reply{Status: 403, ErrorMessage: auth}
		}
	}
	srv := fakeopenai.New(quote)
	defer srv.Close()
	r := newTestRegistry(t, srv, func(c *workspace.ProviderConfig) { c.Timeout = "1s" })
	r.env.retry.MaxAttempts = 1
	var outputs []string
	for i := 0; i < 8; i++ {
		res, deltas := call(t, r, "fake/m", i%2 == 0)
		if res.Err == nil {
			t.Fatalf("call %d did not fail", i)
		}
		b, _ := json.Marshal(res)
		outputs = append(outputs, res.Err.Error(), fmt.Sprintf("%+v %#v", res, res.Err), string(b), deltas)
		for e := errors.Unwrap(res.Err); e != nil; e = errors.Unwrap(e) {
			outputs = append(outputs, e.Error())
		}
	}
	for _, o := range outputs {
		if strings.Contains(o, testKey) || strings.Contains(o, "Zq9XLEAK") {
			t.Fatalf("key leaked: %s", o)
		}
	}
	if !strings.Contains(strings.Join(outputs, "\n"), "[redacted]") {
		t.Error("nothing was redacted: did the server quote the key?")
	}
}

func TestAzure(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	r, err := NewRegistry([]workspace.ProviderConfig{{Name: "az", Kind: KindAzure, BaseURL: srv.URL, APIKeyEnv: "AZ_KEY"}},
		Options{Getenv: envMap(map[string]string{"AZ_KEY": testKey}), Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := call(t, r, "az/gpt-4.1-prod", false)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	got := srv.Received()[0]
	if got.Path != "/openai/deployments/gpt-4.1-prod/chat/completions" || got.Header.Get("Api-Key") != testKey ||
		got.Header.Get("Authorization") != "" {
		t.Errorf("azure request: path %q headers %v", got.Path, got.Header)
	}
}

func TestProviderLimits(t *testing.T) {
	srv := fakeopenai.New(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: 20 * time.Millisecond}
	})
	defer srv.Close()
	r := newTestRegistry(t, srv, func(c *workspace.ProviderConfig) { c.Concurrency = 2 })
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if res, _ := call(t, r, "fake/m", false); res.Err != nil {
				t.Error(res.Err)
			}
		})
	}
	wg.Wait()
	if peak := srv.PeakInFlight(); peak != 2 {
		t.Errorf("peak concurrency %d, want 2", peak)
	}

	// 600 rpm is one request per 100ms: 4 calls need at least 300ms.
	r = newTestRegistry(t, srv, func(c *workspace.ProviderConfig) { c.RPM = 600 })
	start := time.Now()
	for range 4 {
		wg.Go(func() { call(t, r, "fake/m", false) })
	}
	wg.Wait()
	if el := time.Since(start); el < 280*time.Millisecond {
		t.Errorf("4 calls at 600 rpm took %v", el)
	}
}

func TestEcho(t *testing.T) {
	r, err := NewRegistry(nil, Options{Getenv: envMap(nil)})
	if err != nil {
		t.Fatal(err)
	}
	msgs := []workspace.Message{{Role: "system", Content: "You are terse."}, {Role: "user", Content: "Say hello to Ada."}}
	var deltas []string
	res := r.Complete(context.Background(), Request{Messages: msgs, Params: workspace.ModelConfig{Model: "echo/gpt-4o"}, Stream: true},
		func(s string) { deltas = append(deltas, s) })
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := "You are terse.\n\nSay hello to Ada."
	if res.Output != want || strings.Join(deltas, "") != want || len(deltas) != 7 || res.FinishReason != "stop" {
		t.Errorf("echo = %q via %q, finish %q", res.Output, deltas, res.FinishReason)
	}
	if res.Cost != 0 || res.Unpriced || res.InputTokens == 0 || res.OutputTokens == 0 || res.Provider != "echo" || res.Model != "gpt-4o" {
		t.Errorf("echo result %+v", res)
	}
	again := r.Complete(context.Background(), Request{Messages: msgs, Params: workspace.ModelConfig{Model: "echo/gpt-4o"}}, nil)
	if again.Output != res.Output || again.OutputTokens != res.OutputTokens || again.InputTokens != res.InputTokens {
		t.Errorf("echo not deterministic: %+v vs %+v", again, res)
	}
	cut := r.Complete(context.Background(), Request{Messages: msgs, Params: workspace.ModelConfig{Model: "echo/gpt-4o", MaxTokens: 3}}, nil)
	if cut.FinishReason != "length" || cut.OutputTokens != 3 || !strings.HasPrefix(want, cut.Output) {
		t.Errorf("max_tokens: %+v", cut)
	}
}
