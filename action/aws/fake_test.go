package aws_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Static test credentials: never real ones.
const (
	testKeyID  = "AKIDKLAXONTEST000000"
	testSecret = "klaxon-test-secret-not-a-real-key"
)

// A fakeAWS is an in-process endpoint that speaks the wire protocols of
// the three services the sinks call, as the real clients send them: form
// bodies with Action and Version (SNS 2010-03-31 and Auto Scaling
// 2011-01-01 on the AWS query protocol, EC2 2016-11-15 on its own), SigV4
// signed. It checks the version of each action and the signature
// (recomputed with the static test secret), records every request, and
// answers with the services' XML: a success, or the replies queued with
// fail.
type fakeAWS struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []request
	script   map[string][]reply               // per Action: replies to give before succeeding
	policies map[string]map[string]fakePolicy // DescribePolicies: group -> policy name -> policy
}

// A request is one request the fake received.
type request struct {
	Service, Region string // from the signature's credential scope
	Action          string
	Params          url.Values // without Action and Version
	Attempt         string     // the SDK's amz-sdk-request header: "attempt=1; max=3"
	Invocation      string     // amz-sdk-invocation-id: the same for the attempts of one call
	Acted           bool       // the request did its work (a success, or a reply with act)
}

// A reply is a scripted answer to a request.
type reply struct {
	status        int           // 0 means 200
	code, message string        // the error's code and message ("" with status 200)
	act           bool          // the request does its work before the error (a 5xx after acting)
	delay         time.Duration // wait this long (or until the client gives up) before answering
}

type fakePolicy struct{ Type, ARN string }

func newFake(t *testing.T) *fakeAWS {
	f := &fakeAWS{t: t, script: map[string][]reply{}, policies: map[string]map[string]fakePolicy{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// config returns an aws.Config that sends every client to the fake with
// the static test credentials; its Region is not the ARNs' (the sinks
// send each call to the ARN's Region).
func (f *fakeAWS) config() sdkaws.Config {
	return sdkaws.Config{
		Region:       "ap-southeast-2",
		Credentials:  credentials.NewStaticCredentialsProvider(testKeyID, testSecret, ""),
		BaseEndpoint: sdkaws.String(f.srv.URL),
		HTTPClient:   f.srv.Client(),
	}
}

// fail queues replies for the next requests of an action.
func (f *fakeAWS) fail(action string, rs ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[action] = append(f.script[action], rs...)
}

func (f *fakeAWS) addPolicy(group, name, typ, arn string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.policies[group] == nil {
		f.policies[group] = map[string]fakePolicy{}
	}
	f.policies[group][name] = fakePolicy{Type: typ, ARN: arn}
}

// got returns the requests received so far.
func (f *fakeAWS) got() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

// acted returns the requests that did their work.
func (f *fakeAWS) acted() []request {
	var out []request
	for _, r := range f.got() {
		if r.Acted {
			out = append(out, r)
		}
	}
	return out
}

var versions = map[string]string{"sns": "2010-03-31", "ec2": "2016-11-15", "autoscaling": "2011-01-01"}

var actions = map[string]string{
	"Publish": "sns", "StopInstances": "ec2", "TerminateInstances": "ec2", "RebootInstances": "ec2",
	"ExecutePolicy": "autoscaling", "DescribePolicies": "autoscaling",
}

var authRE = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([a-z0-9-]+)/([a-z0-9]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$`)

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.refuse(w, "reading the body: %v", err)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded; charset=utf-8" && r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		f.refuse(w, "%s with Content-Type %q: the query protocols POST forms", r.Method, r.Header.Get("Content-Type"))
		return
	}
	m := authRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		f.refuse(w, "no SigV4 Authorization header: %q", r.Header.Get("Authorization"))
		return
	}
	keyID, region, service, signed := m[1], m[3], m[4], m[5]
	if keyID != testKeyID {
		f.refuse(w, "signed with the key %q, not the test key", keyID)
		return
	}
	if err := verifySignature(r, body, signed, service, region); err != nil {
		f.refuse(w, "%v", err)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		f.refuse(w, "body %q is not a form: %v", body, err)
		return
	}
	action, version := form.Get("Action"), form.Get("Version")
	if actions[action] != service || versions[service] != version {
		f.refuse(w, "Action=%s&Version=%s signed for %s: not an action of that service and version", action, version, service)
		return
	}
	form.Del("Action")
	form.Del("Version")
	req := request{Service: service, Region: region, Action: action, Params: form,
		Attempt: r.Header.Get("Amz-Sdk-Request"), Invocation: r.Header.Get("Amz-Sdk-Invocation-Id")}

	f.mu.Lock()
	rep := reply{status: 200}
	if q := f.script[action]; len(q) > 0 {
		rep, f.script[action] = q[0], q[1:]
	}
	if rep.status == 0 {
		rep.status = 200 // reply{}: a success
	}
	req.Acted = rep.status == 200 || rep.act
	idx := len(f.requests)
	f.requests = append(f.requests, req)
	var policies map[string]fakePolicy
	if action == "DescribePolicies" {
		policies = f.policies[form.Get("AutoScalingGroupName")]
	}
	f.mu.Unlock()

	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return // the client gave up
		}
	}
	requestID := fmt.Sprintf("fake-request-%d", idx+1)
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Header().Set("Content-Type", "text/xml")
	if rep.status != 200 {
		w.WriteHeader(rep.status)
		if service == "ec2" {
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>`,
				html.EscapeString(rep.code), html.EscapeString(rep.message), requestID)
			return
		}
		typ := "Sender"
		if rep.status >= 500 {
			typ = "Receiver"
		}
		fmt.Fprintf(w, `<ErrorResponse xmlns="http://%s.amazonaws.com/doc/%s/">
  <Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>%s</RequestId>
</ErrorResponse>`, service, version, typ, html.EscapeString(rep.code), html.EscapeString(rep.message), requestID)
		return
	}
	switch action {
	case "Publish":
		fmt.Fprintf(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</PublishResponse>`, requestID)
	case "StopInstances", "TerminateInstances":
		next := map[string]string{"StopInstances": "<code>64</code><name>stopping</name>", "TerminateInstances": "<code>32</code><name>shutting-down</name>"}[action]
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<%sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>%s</requestId>
  <instancesSet><item><instanceId>%s</instanceId><currentState>%s</currentState><previousState><code>16</code><name>running</name></previousState></item></instancesSet>
</%sResponse>`, action, requestID, html.EscapeString(form.Get("InstanceId.1")), next, action)
	case "RebootInstances":
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<RebootInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>%s</requestId><return>true</return></RebootInstancesResponse>`, requestID)
	case "ExecutePolicy":
		fmt.Fprintf(w, `<ExecutePolicyResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>
</ExecutePolicyResponse>`, requestID)
	case "DescribePolicies":
		fmt.Fprint(w, `<DescribePoliciesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribePoliciesResult><ScalingPolicies>`)
		for i := 1; form.Has(fmt.Sprintf("PolicyNames.member.%d", i)); i++ {
			name := form.Get(fmt.Sprintf("PolicyNames.member.%d", i))
			if p, ok := policies[name]; ok {
				fmt.Fprintf(w, `<member><AutoScalingGroupName>%s</AutoScalingGroupName><PolicyName>%s</PolicyName><PolicyARN>%s</PolicyARN><PolicyType>%s</PolicyType><Enabled>true</Enabled></member>`,
					html.EscapeString(form.Get("AutoScalingGroupName")), html.EscapeString(name), html.EscapeString(p.ARN), p.Type)
			}
		}
		fmt.Fprintf(w, `</ScalingPolicies></DescribePoliciesResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></DescribePoliciesResponse>`, requestID)
	}
}

// refuse fails the test and answers 400, for a request the real service
// would not have understood.
func (f *fakeAWS) refuse(w http.ResponseWriter, format string, args ...any) {
	f.t.Errorf("fake AWS: "+format, args...)
	http.Error(w, "bad request", http.StatusBadRequest)
}

// verifySignature signs the request again with the test secret, over the
// headers it says it signed, and compares the signatures.
func verifySignature(r *http.Request, body []byte, signedHeaders, service, region string) error {
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date %q: %v", r.Header.Get("X-Amz-Date"), err)
	}
	again, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	if err != nil {
		return err
	}
	again.ContentLength = r.ContentLength
	for _, h := range regexp.MustCompile(`;`).Split(signedHeaders, -1) {
		if h != "host" && h != "content-length" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	again.Header.Del("X-Amz-Date")
	sum := sha256.Sum256(body)
	creds := sdkaws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, again, hex.EncodeToString(sum[:]), service, region, at); err != nil {
		return err
	}
	if got, want := r.Header.Get("Authorization"), again.Header.Get("Authorization"); got != want {
		return fmt.Errorf("bad signature:\n got %s\nwant %s", got, want)
	}
	return nil
}
