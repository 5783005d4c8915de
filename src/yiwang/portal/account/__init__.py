"""Person account pages: 注册, 登录, 退出, 忘记密码, 个人中心 and its self-service."""
