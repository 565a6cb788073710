#!/usr/bin/env python3
"""Independent check of `fleet::hypercube_workloads` on the validation instance of
`sim/src/fleet/tests.rs` (docs/validation.md): the hypercube chain with the FIFO line as
explicit states (truncated at K waiting calls, whose probability is 0.5**K of the lump),
solved by Gaussian elimination in plain Python. Prints the preference lists, the three
workloads and P(all busy)."""
bases=[1,4,8]
pref=[sorted(range(3), key=lambda s:(abs(a-bases[s]),s)) for a in range(10)]
w=[3,1,2,4,1,2,3,1,2,1]; lam=[1.5*x/sum(w) for x in w]; mu=1.0; K=120
states=[(b,0) for b in range(8)]+[(7,k) for k in range(1,K+1)]
idx={s:i for i,s in enumerate(states)}
n=len(states); Q=[[0.0]*n for _ in range(n)]
for (b,k) in states:
    i=idx[(b,k)]
    if b!=7:
        for a in range(10):
            s=next(s for s in pref[a] if not b>>s&1)
            Q[i][idx[(b|1<<s,0)]]+=lam[a]
        for s in range(3):
            if b>>s&1: Q[i][idx[(b&~(1<<s),0)]]+=mu
    else:
        if k<K: Q[i][idx[(7,k+1)]]+=sum(lam)
        for s in range(3):
            Q[i][idx[(7,k-1)] if k>0 else idx[(b&~(1<<s),0)]]+=mu
A=[[Q[f][t] for f in range(n)]+[0.0] for t in range(n)]
for t in range(n): A[t][t]-=sum(Q[t])
A[-1]=[1.0]*n+[1.0]
for c in range(n):
    p=max(range(c,n),key=lambda r:abs(A[r][c])); A[c],A[p]=A[p],A[c]
    for r in range(n):
        if r!=c and A[r][c]!=0:
            f=A[r][c]/A[c][c]; A[r]=[x-f*y for x,y in zip(A[r],A[c])]
pi=[A[i][n]/A[i][i] for i in range(n)]
print("pref",pref)
print("workloads",[sum(pi[idx[s]] for s in states if s[0]>>j&1) for j in range(3)])
print("P(all busy)",sum(pi[idx[s]] for s in states if s[0]==7))
