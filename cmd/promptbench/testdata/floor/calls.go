package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// calls makes n chat completions against baseURL, conc at a time, with
// net/http and go-openai alone: no store, no scoring, no log. Each call
// asks what an evaluation's call asks (one user message, a short reply).
func calls(baseURL string, n, conc int) error {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = conc // reuse one connection per worker
	cfg := openai.DefaultConfig("")
	cfg.BaseURL = baseURL
	cfg.HTTPClient = &http.Client{Transport: t}
	client := openai.NewClientWithConfig(cfg)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, conc)
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				_, err := client.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
					Model:    "m",
					Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "Classify: ticket " + strconv.FormatInt(i, 10) + " about billing"}},
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Printf("%d calls in %v\n", n, time.Since(start))
	return nil
}
