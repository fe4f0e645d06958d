"""Churn model for the monthly retention review.

Trains a random forest on the customer snapshots, prints the accuracy for the
review deck, scores this month's customers and saves the model for the CRM job.
Run from legacy_scripts/: python broken_ml_pipeline.py
"""
import os
import pickle
import warnings

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")

DATA_FILE = "/home/maria/projects/churn/data/churn_snapshots.csv"
if not os.path.exists(DATA_FILE):
    DATA_FILE = "data/churn_snapshots.csv"

# load and clean
df = pd.read_csv(DATA_FILE)
df.drop_duplicates()
print("loaded", df.shape)

df["snapshot_month"] = pd.to_datetime(df["snapshot_month"])
df = df.sort_values(["customer_id", "snapshot_month"])
df["calls_change"] = df.groupby("customer_id")["support_calls"].diff().fillna(0)

try:
    df["total_charges"] = df["total_charges"].astype(float)
except:
    pass
df["total_charges"] = pd.to_numeric(df["total_charges"], errors="coerce")

df.loc[df["region"] == np.nan, "region"] = "unknown"
df["monthly_charges"][df["monthly_charges"] < 0] = 0
df = df.dropna()

# not many churners, so repeat them to balance the classes
churners = df[df["churned"] == 1]
df = pd.concat([df, churners, churners])

# features
df = pd.get_dummies(df, columns=["contract", "payment_method", "region"])
y = df["churned"]
X = df.drop(columns=["customer_id", "snapshot_month", "churned"])
num_cols = [
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls",
    "calls_change",
    "refund_amount",
]
scaler = StandardScaler()
X[num_cols] = scaler.fit_transform(X[num_cols])

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)

# pick the best depth
best_score = 0
best_depth = None
for depth in [3, 5, 8, 12, None]:
    model = RandomForestClassifier(max_depth=depth)
    model.fit(X_train, y_train)
    score = accuracy_score(y_test, model.predict(X_test))
    if score > best_score:
        best_score = score
        best_depth = depth

model = RandomForestClassifier(max_depth=best_depth)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_train, model.predict(X_train))
print(f"best depth: {best_depth}")
print(f"accuracy: {accuracy:.3f}")

# score this month's customers
current = pd.read_csv("data/churn_current_month.csv")
current["calls_change"] = 0
current["total_charges"] = pd.to_numeric(current["total_charges"], errors="coerce")
current = current.fillna(0)
current = pd.get_dummies(current, columns=["contract", "payment_method", "region"])
current[num_cols] = scaler.fit_transform(current[num_cols])
current["churn_risk"] = model.predict_proba(current[X.columns])[:, 1]
current[["customer_id", "churn_risk"]].to_csv("churn_scores.csv", index=False)

pickle.dump(model, open("churn_model.pkl", "wb"))
print("saved churn_model.pkl and churn_scores.csv")
