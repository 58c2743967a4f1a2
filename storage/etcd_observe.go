package storage

import (
	"context"
	"path"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc"
)

// observeInterceptor tells observe how each request to the cluster went.
// The etcd client's retries stand outside it: each attempt is observed.
func observeInterceptor(observe func(string, time.Duration, error)) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		start := time.Now()
		err := invoker(ctx, method, req, reply, cc, opts...)
		observe(path.Base(method), time.Since(start), err)
		return err
	}
}

// bounded is ctx with the timeout when it has no deadline of its own. The
// bound stands outside the etcd client's retries (a hundred of them, with
// waits for a connection, when no member answers).
func bounded(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, timeout)
}

// timedKV bounds every request of the key-value API made without a deadline.
type timedKV struct {
	clientv3.KV
	timeout time.Duration
}

func (kv timedKV) Get(ctx context.Context, key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, error) {
	ctx, cancel := bounded(ctx, kv.timeout)
	defer cancel()
	return kv.KV.Get(ctx, key, opts...)
}

func (kv timedKV) Put(ctx context.Context, key, val string, opts ...clientv3.OpOption) (*clientv3.PutResponse, error) {
	ctx, cancel := bounded(ctx, kv.timeout)
	defer cancel()
	return kv.KV.Put(ctx, key, val, opts...)
}

func (kv timedKV) Delete(ctx context.Context, key string, opts ...clientv3.OpOption) (*clientv3.DeleteResponse, error) {
	ctx, cancel := bounded(ctx, kv.timeout)
	defer cancel()
	return kv.KV.Delete(ctx, key, opts...)
}

func (kv timedKV) Do(ctx context.Context, op clientv3.Op) (clientv3.OpResponse, error) {
	ctx, cancel := bounded(ctx, kv.timeout)
	defer cancel()
	return kv.KV.Do(ctx, op)
}

func (kv timedKV) Txn(ctx context.Context) clientv3.Txn {
	ctx, cancel := bounded(ctx, kv.timeout)
	return timedTxn{kv.KV.Txn(ctx), cancel}
}

// timedTxn releases its bound when it commits.
type timedTxn struct {
	clientv3.Txn
	cancel context.CancelFunc
}

func (t timedTxn) If(cs ...clientv3.Cmp) clientv3.Txn { return timedTxn{t.Txn.If(cs...), t.cancel} }
func (t timedTxn) Then(ops ...clientv3.Op) clientv3.Txn {
	return timedTxn{t.Txn.Then(ops...), t.cancel}
}
func (t timedTxn) Else(ops ...clientv3.Op) clientv3.Txn {
	return timedTxn{t.Txn.Else(ops...), t.cancel}
}

func (t timedTxn) Commit() (*clientv3.TxnResponse, error) {
	defer t.cancel()
	return t.Txn.Commit()
}

// timedLease bounds the lease requests that are not streams.
type timedLease struct {
	clientv3.Lease
	timeout time.Duration
}

func (l timedLease) Grant(ctx context.Context, ttl int64) (*clientv3.LeaseGrantResponse, error) {
	ctx, cancel := bounded(ctx, l.timeout)
	defer cancel()
	return l.Lease.Grant(ctx, ttl)
}

func (l timedLease) Revoke(ctx context.Context, id clientv3.LeaseID) (*clientv3.LeaseRevokeResponse, error) {
	ctx, cancel := bounded(ctx, l.timeout)
	defer cancel()
	return l.Lease.Revoke(ctx, id)
}

func (l timedLease) TimeToLive(ctx context.Context, id clientv3.LeaseID, opts ...clientv3.LeaseOption) (*clientv3.LeaseTimeToLiveResponse, error) {
	ctx, cancel := bounded(ctx, l.timeout)
	defer cancel()
	return l.Lease.TimeToLive(ctx, id, opts...)
}
