# measure_map.py — which 2-D map keeps the cosine distances best: classical MDS of 1 − cos,
# classical MDS of the chord distance sqrt(2(1 − cos)) (= PCA of the unit rows), or LSA
# (truncated SVD of the TF-IDF matrix). Scores: rank and linear correlation of map distances
# with 1 − cos, Kruskal stress-1 after the best scale. Run: /usr/bin/python3 tools/measure_map.py
# With --probe DIR (the output of build/tests/compare_probe CORPUS THRESHOLD DIR): compare's
# large-mode map (landmark MDS) against full MDS on the same corpus: the same scores, the share
# of each document's 10 nearest neighbours kept on the map, and the Procrustes disparity.
import json, numpy as np, sys, os
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from scipy.stats import spearmanr
def load():
    sets = {}
    root=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..')
    shared=os.environ.get('COMPTEXT_SHARED', os.path.join(root,'..','shared'))
    jl=os.path.join(shared,'corpora','gov-work-reports.jsonl')
    if os.path.exists(jl):
        docs=[json.loads(l) for l in open(jl)]
        sets['gov-jsonl']=[d['content'] for d in docs if d.get('content')]
    d=os.path.join(root,'corpora','cities')
    sets['cities']=[open(os.path.join(d,f)).read() for f in sorted(os.listdir(d)) if f.endswith('.txt')]
    return sets
def cmds(D):
    n=len(D); J=np.eye(n)-1/n; B=-0.5*J@(D**2)@J
    w,v=np.linalg.eigh(B); o=np.argsort(w)[::-1]; w=w[o]; v=v[:,o]
    X=v[:,:2]*np.sqrt(np.maximum(w[:2],0)); share=w[:2]/w[w>0].sum()
    return X, share, (w<-1e-12).sum()
def score(X, D):
    iu=np.triu_indices(len(D),1)
    E=np.sqrt(((X[:,None,:]-X[None,:,:])**2).sum(-1))[iu]; d=D[iu]
    a=(E@d)/(E@E); stress=np.sqrt(((d-a*E)**2).sum()/(d**2).sum())
    return spearmanr(E,d).correlation, np.corrcoef(E,d)[0,1], stress
def knn_kept(X, D, k=10):
    # share of each document's k nearest by cosine that are among its k nearest on the map
    E=np.sqrt(((X[:,None,:]-X[None,:,:])**2).sum(-1))
    np.fill_diagonal(E,np.inf); Dd=D.copy(); np.fill_diagonal(Dd,np.inf)
    a=np.argsort(Dd,1)[:,:k]; b=np.argsort(E,1)[:,:k]
    return np.mean([len(set(a[i])&set(b[i]))/k for i in range(len(D))])
if len(sys.argv)>2 and sys.argv[1]=='--probe':
    # The large mode's landmark MDS against the full mode's classical MDS on the same corpus:
    # DIR holds compare_probe's full.json, large.json and full.sim (tests/compare_probe.c).
    from scipy.spatial import procrustes
    d=sys.argv[2]; F=json.load(open(d+'/full.json')); L=json.load(open(d+'/large.json'))
    n=F['rows']; S=np.fromfile(d+'/full.sim').reshape(n,n)
    D=np.clip(1-S,0,None); np.fill_diagonal(D,0)
    for lab,X in [('full MDS',np.array(F['map'])),('landmark MDS',np.array(L['map']))]:
        sp,pe,st=score(X,D)
        print(f"n={n} {lab:13s} spearman={sp:.4f} pearson={pe:.4f} stress1={st:.4f} knn10 kept={knn_kept(X,D):.3f}")
    print(f"n={n} Procrustes disparity landmark vs full: {procrustes(np.array(F['map']),np.array(L['map']))[2]:.4f}")
    sys.exit(0)
for name,texts in load().items():
    T=TfidfVectorizer(analyzer='char',ngram_range=(1,3)).fit_transform(texts)
    S=(T@T.T).toarray(); D=np.clip(1-S,0,None); np.fill_diagonal(D,0)
    C=np.sqrt(2*D)
    for lab,X,extra in [('cmds 1-cos',)+cmds(D)[:2], ('cmds chord',)+cmds(C)[:2],
                        ('lsa svd',TruncatedSVD(2,algorithm='arpack').fit_transform(T),None)]:
        sp,pe,st=score(X,D)
        print(f"{name:10s} {lab:11s} spearman={sp:.4f} pearson={pe:.4f} stress1={st:.4f} share={extra}")
    print(name, 'negative eigenvalues with 1-cos:', cmds(D)[2], 'chord:', cmds(C)[2], 'n=',len(texts))
