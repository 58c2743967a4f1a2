package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// etcdBatchTTL is the lease a chunked batch's writer keeps alive: a marker
// whose lease expired belongs to a dead writer, and the next writer rolls
// its batch back.
const etcdBatchTTL = 10

// Apply implements Engine.
func (e *Etcd) Apply(ctx context.Context, b *Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ops, err := e.etcdOps(b.Ops)
	if err != nil {
		return err
	}
	conds, condBytes, err := e.compares(b.Expect)
	if err != nil {
		return err
	}
	// Room in every transaction for the marker and the commit key, the
	// conditions and the fence.
	budget := e.limits.bytes - condBytes - 4096
	if budget < e.limits.bytes/4 {
		budget = e.limits.bytes / 4
	}
	chunks, err := etcdChunks(etcdPhases(ops), e.limits.ops-2, budget)
	if err != nil {
		return fmt.Errorf("storage: etcd: apply: %w", err)
	}
	if len(chunks) <= 1 && len(conds)+2 <= e.limits.ops {
		var chunk []etcdOp
		if len(chunks) == 1 {
			chunk = chunks[0]
		}
		return e.applyOne(ctx, conds, chunk)
	}
	return e.applyChunked(ctx, conds, chunks)
}

func (e *Etcd) etcdOps(in []Op) ([]etcdOp, error) {
	out := make([]etcdOp, 0, len(in))
	for _, op := range in {
		tp, err := e.tablePrefix(op.Table)
		if err != nil {
			return nil, err
		}
		k := append([]byte(tp), op.Key...)
		switch {
		case op.Prefix:
			out = append(out, etcdOp{key: k, del: true, end: keyEnd(k)})
		case op.Delete:
			out = append(out, etcdOp{key: k, del: true})
		default:
			out = append(out, etcdOp{key: k, value: op.Value})
		}
	}
	return out, nil
}

func (e *Etcd) compares(conds []Cond) ([]clientv3.Cmp, int, error) {
	out := make([]clientv3.Cmp, 0, len(conds))
	size := 0
	for _, c := range conds {
		tp, err := e.tablePrefix(c.Table)
		if err != nil {
			return nil, 0, err
		}
		k := tp + string(c.Key)
		size += len(k) + len(c.Value) + etcdOpOverhead
		if c.Value == nil {
			out = append(out, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
		} else {
			// A value compare never holds for an absent key, so an empty
			// value is told from an absent key.
			out = append(out, clientv3.Compare(clientv3.Value(k), "=", string(c.Value)))
		}
	}
	return out, size, nil
}

func toClientOps(ops []etcdOp) []clientv3.Op {
	out := make([]clientv3.Op, 0, len(ops)+2)
	for _, o := range ops {
		switch {
		case !o.del:
			out = append(out, clientv3.OpPut(string(o.key), string(o.value)))
		case o.end != nil:
			out = append(out, clientv3.OpDelete(string(o.key), clientv3.WithRange(string(o.end))))
		default:
			out = append(out, clientv3.OpDelete(string(o.key)))
		}
	}
	return out
}

// guards are the compares every write carries besides its own: the fence.
func (e *Etcd) guards(cmps ...clientv3.Cmp) []clientv3.Cmp {
	if e.fence != nil {
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(e.fence.key), "=", e.fence.rev))
	}
	return cmps
}

// elseOps read, when a guarded write fails, what tells why: the marker and
// the fence key.
func (e *Etcd) elseOps() []clientv3.Op {
	ops := []clientv3.Op{clientv3.OpGet(e.pendingKey())}
	if e.fence != nil {
		ops = append(ops, clientv3.OpGet(e.fence.key, clientv3.WithKeysOnly()))
	}
	return ops
}

// failure is why a guarded transaction did not apply: the fence is gone, or
// a chunked batch's marker is there (returned), or a condition failed.
func (e *Etcd) failure(resp *clientv3.TxnResponse) (*mvccKV, error) {
	if e.fence != nil {
		f := resp.Responses[1].GetResponseRange().Kvs
		if len(f) == 0 || f[0].CreateRevision != e.fence.rev {
			return nil, ErrFenced
		}
	}
	if p := resp.Responses[0].GetResponseRange().Kvs; len(p) > 0 {
		return p[0], nil
	}
	return nil, ErrConflict
}

// applyOne writes a batch that fits one transaction.
func (e *Etcd) applyOne(ctx context.Context, conds []clientv3.Cmp, chunk []etcdOp) error {
	then := append(toClientOps(chunk), e.commitOp())
	cmps := e.guards(append([]clientv3.Cmp{clientv3.Compare(clientv3.CreateRevision(e.pendingKey()), "=", 0)}, conds...)...)
	for {
		resp, err := e.client.Txn(ctx).If(cmps...).Then(then...).Else(e.elseOps()...).Commit()
		if err != nil {
			return e.applyErr(ctx, err)
		}
		if resp.Succeeded {
			return nil
		}
		pending, err := e.failure(resp)
		if err != nil {
			return err
		}
		if err := e.waitOrRepair(ctx, pending); err != nil {
			return err
		}
	}
}

func (e *Etcd) applyErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("storage: etcd: apply: %w", e.closed(err))
}

// applyChunked writes a batch too big for one transaction, in chunks behind
// the pending marker.
func (e *Etcd) applyChunked(ctx context.Context, conds []clientv3.Cmp, chunks [][]etcdOp) (err error) {
	lease, err := e.client.Grant(ctx, etcdBatchTTL)
	if err != nil {
		return e.applyErr(ctx, err)
	}
	token := strconv.FormatInt(int64(lease.ID), 16)
	kaCtx, stopKA := context.WithCancel(context.WithoutCancel(ctx))
	ka, err := e.client.KeepAlive(kaCtx, lease.ID)
	if err != nil {
		stopKA()
		return e.applyErr(ctx, err)
	}
	go func() {
		for range ka { // drained until stopKA
		}
	}()
	began, crashed := false, false
	defer func() {
		stopKA()
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if began && err != nil && !crashed {
			// Roll back what landed; if even that fails, the next writer
			// does it once the lease is gone.
			if rerr := e.rollbackOwn(cctx, token); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		e.client.Revoke(cctx, lease.ID)
	}()

	mine := clientv3.Compare(clientv3.Value(e.pendingKey()), "=", token)
	putMarker := clientv3.OpPut(e.pendingKey(), token)
	// The first transaction checks the conditions (all of them, when they
	// fit beside the chunk; else alone, in as many transactions as needed,
	// while the marker keeps every other writer out).
	first := []clientv3.Op{putMarker}
	rest := chunks
	condGroups := [][]clientv3.Cmp{conds}
	if len(conds)+2 > e.limits.ops {
		condGroups = nil
		for c := conds; len(c) > 0; {
			n := min(len(c), e.limits.ops-2)
			condGroups, c = append(condGroups, c[:n]), c[n:]
		}
	} else if len(chunks) > 1 {
		first = append(first, toClientOps(chunks[0])...)
		rest = chunks[1:]
	}
	for {
		absent := clientv3.Compare(clientv3.CreateRevision(e.pendingKey()), "=", 0)
		resp, err := e.client.Txn(ctx).If(e.guards(append([]clientv3.Cmp{absent}, condGroups[0]...)...)...).
			Then(first...).Else(e.elseOps()...).Commit()
		if err != nil {
			began = true // it may have landed
			return e.applyErr(ctx, err)
		}
		if resp.Succeeded {
			began = true
			break
		}
		pending, err := e.failure(resp)
		if err != nil {
			return err
		}
		if err := e.waitOrRepair(ctx, pending); err != nil {
			return err
		}
	}
	for _, g := range condGroups[1:] {
		if err := e.chunk(ctx, append([]clientv3.Cmp{mine}, g...), []clientv3.Op{putMarker}); err != nil {
			return err
		}
	}
	for i, c := range rest {
		if err := ctx.Err(); err != nil {
			return err
		}
		then := toClientOps(c)
		if i == len(rest)-1 {
			then = append(then, e.commitOp(), clientv3.OpDelete(e.pendingKey()))
		} else {
			then = append(then, putMarker) // the marker's revision is the batch's latest
		}
		if err := e.chunk(ctx, []clientv3.Cmp{mine}, then); err != nil {
			return err
		}
		if e.chunkHook != nil && i < len(rest)-1 {
			if err := e.chunkHook(i); err != nil {
				crashed = true
				return err
			}
		}
	}
	return nil
}

// chunk writes one guarded transaction of a chunked batch.
func (e *Etcd) chunk(ctx context.Context, cmps []clientv3.Cmp, then []clientv3.Op) error {
	resp, err := e.client.Txn(ctx).If(e.guards(cmps...)...).Then(then...).Else(e.elseOps()...).Commit()
	if err != nil {
		return e.applyErr(ctx, err)
	}
	if resp.Succeeded {
		return nil
	}
	if _, err := e.failure(resp); errors.Is(err, ErrFenced) {
		return err
	}
	// The marker is no longer ours: another writer took us for dead and
	// rolled the batch back.
	return ErrConflict
}

// waitOrRepair waits while the writer of pending is alive, and rolls its
// batch back once it is dead.
func (e *Etcd) waitOrRepair(ctx context.Context, pending *mvccKV) error {
	id, err := strconv.ParseInt(string(pending.Value), 16, 64)
	if err != nil {
		return e.repair(ctx, pending)
	}
	ttl, err := e.client.TimeToLive(ctx, clientv3.LeaseID(id))
	if err != nil {
		return e.applyErr(ctx, err)
	}
	if ttl.TTL <= 0 {
		return e.repair(ctx, pending)
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(20 * time.Millisecond):
		return nil
	}
}
