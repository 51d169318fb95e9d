package action

import (
	"context"
	"strconv"
	"testing"

	"github.com/klaxon-go/klaxon"
)

// BenchmarkNotification measures building every payload a notification
// gives for one transition: what a sink builds per delivery (the target is
// 5 µs for SNSMessage, PublishedMessage and Event together).
func BenchmarkNotification(b *testing.B) {
	for _, bc := range []struct {
		name string
		t    klaxon.Transition
	}{
		{"metric", metric2025()},
		{"math", anomaly2023()},
		{"composite", composite2021()},
	} {
		n := Notification{Action: klaxon.Action{ARN: "arn:aws:sns:us-east-1:123456789012:t", Key: "k", Transition: bc.t}}
		b.Run(bc.name+"/SNSMessage", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := n.SNSMessage(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/PublishedMessage", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := n.PublishedMessage(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/Event", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := n.Event(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/all", func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if _, err := n.SNSMessage(); err != nil {
					b.Fatal(err)
				}
				if _, err := n.PublishedMessage(); err != nil {
					b.Fatal(err)
				}
				if _, err := n.Event(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRouter measures the Router's part of one SNS action: parsing
// the ARN, handing the notification to a sink that builds the published
// message and queues it, and the published message the engine asks for
// its history item (built once for both). Each action is a new one.
func BenchmarkRouter(b *testing.B) {
	queue := make(chan string, 1)
	r := &Router{SNS: SinkFunc(func(ctx context.Context, n Notification) error {
		m, err := n.PublishedMessage()
		select {
		case queue <- m:
			<-queue
		default:
		}
		return err
	})}
	a := klaxon.Action{ARN: "arn:aws:sns:us-east-1:308535385114:alerting-dev-alerts", Transition: metric2025()}
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
	}
	ctx := context.Background()
	b.ReportAllocs()
	defer reportCPU(b)()
	i := 0
	for b.Loop() {
		a.Key = keys[i%len(keys)]
		i++
		if err := r.RunAction(ctx, a); err != nil {
			b.Fatal(err)
		}
		if r.PublishedMessage(a) == "" {
			b.Fatal("no published message")
		}
	}
}

// reportCPU reports the process's CPU time per operation ("cpu-ns/op")
// when the returned function is called after the loop: on a loaded
// machine, wall time measures the wait for a CPU as well.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if used := cpuTime() - start; used > 0 && b.N > 0 {
			b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
