"""Seed version 1 of the online service agreement (网上服务协议) people accept at registration.

Seed 001 ch. 5 §(一)2: "验证完成后应签订网上服务协议，完成实名注册". A later version is a new row (a
new migration or the admin); acceptances point at the version that was accepted.
"""

import datetime

from django.db import migrations

VERSION = "1"
TITLE = "一网政务服务平台网上服务协议"
BODY = """\
欢迎您注册一网政务服务平台（以下简称“本平台”）。本平台由本地区政务服务管理机构建设和运行，为自然人和法人提供政务服务事项的查询、申请、预约、查询办理进度、咨询投诉和评价等网上服务。请您在注册前认真阅读本协议。您勾选“我已阅读并同意”并完成注册，即表示您已充分理解并同意本协议的全部内容。

第一条 实名注册
1. 本平台实行实名注册。您应使用本人真实、准确、有效的身份信息注册，不得冒用他人身份信息，不得为他人注册。
2. 自然人注册时须提供公民身份号码、姓名、本人手机号码及社会保障卡号、银行卡号、住房公积金账号或驾驶证档案编号中的一项，本平台将通过政务服务数据共享平台与人口基础信息库等进行比对核验。
3. 您在本平台以实名账号办理的事项，视为您本人的行为，由您本人承担相应的法律责任。

第二条 账号与密码安全
1. 您可以使用公民身份号码或已绑定的手机号码加密码登录，也可以使用手机短信验证码登录。
2. 请妥善保管账号、密码和短信验证码，不要告诉他人。因您保管不善造成的损失由您自行承担。
3. 发现账号被他人使用的，请立即修改密码，并通过政务服务便民热线12345或到政务服务大厅窗口申请处理。
4. 连续多次输入错误密码的，账号将被临时锁定；您可以使用短信验证码登录或找回密码。

第三条 个人信息保护
1. 本平台依照《中华人民共和国网络安全法》《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》收集和使用您的个人信息，仅用于身份核验、办理您申请的政务服务事项、向您发送办理通知以及法律、行政法规规定的其他用途。
2. 您的公民身份号码、手机号码等敏感个人信息加密存储，在页面、清单和导出文件中脱敏显示。工作人员查看完整信息须经授权，查看行为记入审计日志，您可以在个人中心“谁查看了我的信息”中查询。
3. 未经您同意，本平台不向任何单位和个人提供您的个人信息，但法律、行政法规另有规定或者为履行法定职责所必需的除外。
4. 您可以在个人中心查询、更正您的联系信息；更换绑定手机号须先后验证原手机号和新手机号。

第四条 用户的义务
1. 您提交的申请材料应当真实、合法、有效，不得提交虚假材料或隐瞒有关情况。
2. 不得利用本平台从事危害国家安全、损害社会公共利益或者他人合法权益的活动，不得干扰本平台正常运行。
3. 不得以技术手段批量注册、批量查询或者绕过本平台的访问频率限制。

第五条 电子文书与送达
1. 您通过本平台提交的电子申请、电子材料与纸质申请、纸质材料具有同等效力，法律、行政法规另有规定的除外。
2. 您同意本平台通过短信、站内消息等方式向您发送办件受理、补正、办结等通知；您的绑定手机号变更后请及时在个人中心更新。

第六条 服务的变更与中止
1. 本平台可能因系统维护、升级等原因暂停部分服务，将尽可能提前公告。
2. 您违反本协议或者法律法规的，本平台可以依法暂停或者停用您的账号，并通过短信告知；您对停用有异议的，可以申请复核。

第七条 协议的修改
本协议修改后将在本平台公布新版本，您下次登录或办理事项时须阅读并同意新版本后方可继续使用有关服务。

第八条 其他
1. 本协议的订立、履行和解释适用中华人民共和国法律。
2. 对本平台服务有意见、建议或者投诉的，请通过本平台“互动交流”栏目或者政务服务便民热线12345反映。
"""
EFFECTIVE_AT = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def seed(apps, schema_editor):
    ServiceAgreement = apps.get_model("accounts", "ServiceAgreement")
    ServiceAgreement.objects.update_or_create(
        version=VERSION, defaults={"title": TITLE, "body": BODY, "effective_at": EFFECTIVE_AT}
    )


def unseed(apps, schema_editor):
    ServiceAgreement = apps.get_model("accounts", "ServiceAgreement")
    AgreementAcceptance = apps.get_model("accounts", "AgreementAcceptance")
    # Keep the version if anybody accepted it: acceptances are evidence (PROTECT).
    if not AgreementAcceptance.objects.filter(agreement__version=VERSION).exists():
        ServiceAgreement.objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
