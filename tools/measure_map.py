# measure_map.py — which 2-D map keeps the cosine distances best: classical MDS of 1 − cos,
# classical MDS of the chord distance sqrt(2(1 − cos)) (= PCA of the unit rows), or LSA
# (truncated SVD of the TF-IDF matrix). Scores: rank and linear correlation of map distances
# with 1 − cos, Kruskal stress-1 after the best scale. Run: /usr/bin/python3 tools/measure_map.py
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
for name,texts in load().items():
    T=TfidfVectorizer(analyzer='char',ngram_range=(1,3)).fit_transform(texts)
    S=(T@T.T).toarray(); D=np.clip(1-S,0,None); np.fill_diagonal(D,0)
    C=np.sqrt(2*D)
    for lab,X,extra in [('cmds 1-cos',)+cmds(D)[:2], ('cmds chord',)+cmds(C)[:2],
                        ('lsa svd',TruncatedSVD(2,algorithm='arpack').fit_transform(T),None)]:
        sp,pe,st=score(X,D)
        print(f"{name:10s} {lab:11s} spearman={sp:.4f} pearson={pe:.4f} stress1={st:.4f} share={extra}")
    print(name, 'negative eigenvalues with 1-cos:', cmds(D)[2], 'chord:', cmds(C)[2], 'n=',len(texts))
