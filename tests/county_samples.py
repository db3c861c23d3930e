"""Two counties in one small snapshot: the tiny tables of 垣曲县 (conftest) plus 礼县 on its real codes."""

import datetime as dt
import random

import pandas as pd
from conftest import tiny_tables

from fupin.store import reference

LIXIAN = "621226"   # 礼县


def two_counties(seed: int = 3) -> dict[str, pd.DataFrame]:
    """The tiny tables of 垣曲县 plus 礼县 on its real townships and villages: 300 purchases 2018-2020, one buyer."""
    rng = random.Random(seed)
    tables = tiny_tables(rng)
    codes = ("140827", LIXIAN)
    villages = reference.villages((LIXIAN,)).assign(is_poor_village=False)
    picks = villages[villages["editions"].str.contains("2018")].sample(20, random_state=seed)
    lixian = pd.DataFrame([{
        "purchase_id": 1000 + i, "purchase_date": dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(1096)),
        "buyer_id": "L1", "buyer_type": "supermarket", "channel": "retail", "supplier_type": "farmer",
        "supplier_name": f"农户{i % 30}", "supplier_credit_code": None, "township_code": v.township_code,
        "village_code": v.village_code, "from_poor_village": False, "product_category": "蔬菜", "product_name": "花椒",
        "weight_kg": 10.0 + i, "amount_yuan": 100.0 + i,
    } for i, v in enumerate(picks.iloc[[j % 20 for j in range(300)]].itertuples())])
    tables["purchases"] = pd.concat([tables["purchases"], lixian], ignore_index=True)
    tables["counties"] = reference.counties(codes)
    tables["groups"] = reference.groups(codes)
    tables["townships"] = pd.concat([tables["townships"], reference.townships((LIXIAN,))], ignore_index=True)
    tables["villages"] = pd.concat([tables["villages"], villages], ignore_index=True)
    tables["buyers"] = pd.concat([tables["buyers"], pd.DataFrame([{
        "buyer_id": "L1", "buyer_name": "礼县万家福超市", "buyer_type": "supermarket", "township_code": picks.iloc[0].township_code,
    }])], ignore_index=True)
    return tables
