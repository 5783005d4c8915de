"""Service catalogue: 目录清单, 实施清单, 办事指南, materials, steps, themes and search."""
