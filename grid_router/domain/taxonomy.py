"""Top-level incident categories: the contract of DESIGN §3.

Subcategories, keywords and departments belong to the routing policy; these nine codes do not
change with a policy.
"""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "FOOD_DRUG": "食品药品安全",
    "FIRE": "消防安全",
    "ENVIRONMENT": "生态环境",
    "WORK_SAFETY": "安全生产",
    "CITY_MGMT": "城市管理",
    "PUBLIC_SECURITY": "社会治安",
    "DISPUTE": "矛盾纠纷",
    "LIVELIHOOD": "民生服务",
    "OTHER": "其他",
}

OTHER = "OTHER"
