"""Train a churn classifier and write its metrics and coefficients."""

import json

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

SEED = 7
FEATURES = ["tenure_months", "monthly_fee", "support_calls"]

# Load
data = pd.read_csv("customers.csv")
data = data.dropna(subset=FEATURES + ["churned"])

# Split
X_train, X_test, y_train, y_test = train_test_split(
    data[FEATURES], data["churned"], test_size=0.25, random_state=SEED
)

# Scale
scaler = StandardScaler()
X_train_scaled = scaler.fit_transform(X_train)
X_test_scaled = scaler.transform(X_test)

# Train
model = LogisticRegression(max_iter=500, random_state=SEED)
model.fit(X_train_scaled, y_train)

# Evaluate
scores = model.predict_proba(X_test_scaled)[:, 1]
metrics = {
    "accuracy": round(float(accuracy_score(y_test, scores > 0.5)), 6),
    "roc_auc": round(float(roc_auc_score(y_test, scores)), 6),
    "test_rows": int(len(y_test)),
}
coefficients = pd.DataFrame(
    {"feature": FEATURES, "coefficient": np.round(model.coef_[0], 6)}
)

# Save
with open("metrics.json", "w") as handle:
    json.dump(metrics, handle, indent=2, sort_keys=True)
coefficients.to_csv("coefficients.csv", index=False)
