"""planwatch: monitoring of women's and children's development plans (妇女/儿童发展规划监测)."""
